// The data path over a hand-built network state: tenants apart by construction, tenant policies,
// a VIP resolved by the Service proxy (trace reads, connect records), load balancer refusals,
// loopback and addresses outside every cluster, and traceflow's redaction of other tenants.
import { beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/index.js';
import { NetworkState } from '../controllers/network-state.js';
import { isolationPolicy } from '../controllers/tenant-isolation.js';
import { compileService, computeEndpoints } from '../services/index.js';
import { redact } from '../traceflow/redact.js';
import type { PodEndpoint } from '../types.js';
import { DataPath } from './datapath.js';
import type { FlowRequest } from './flow.js';

const pod = (cluster: string, namespace: string, name: string, ip: string, tenant: string, labels: Record<string, string> = {}): PodEndpoint => ({
  kind: 'pod',
  cluster,
  namespace,
  name,
  labels,
  namespaceLabels: {},
  ip,
  tenant,
  sensitivity: tenant === 'bank' ? 'high' : 'low',
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
});

const web = pod('web', 'shop', 'web-1', '10.0.1.2', 'acme', { app: 'web' });
const api1 = pod('web', 'shop', 'api-1', '10.0.1.3', 'acme', { app: 'api' });
const api2 = pod('web', 'shop', 'api-2', '10.0.1.4', 'acme', { app: 'api' });
const ledger = pod('ledger', 'books', 'ledger-1', '10.16.1.2', 'bank', { app: 'ledger' });

let state: NetworkState;
let clock: VirtualClock;
let dp: DataPath;
let vip = '';

beforeEach(() => {
  clock = new VirtualClock();
  state = new NetworkState();
  state.applyPolicy([
    { op: 'upsertAdminPolicy', policy: isolationPolicy('acme') },
    { op: 'upsertAdminPolicy', policy: isolationPolicy('bank') },
    ...[web, api1, api2, ledger].map((p) => ({ op: 'upsertPod' as const, pod: p })),
  ]);
  for (const p of [web, api1, api2, ledger]) state.attach({ cluster: p.cluster, namespace: p.namespace, name: p.name, ip: p.ip, nodeName: `${p.cluster}-w0` });
  const svc = compileService({ cluster: 'web', namespace: 'shop', name: 'api' }, { type: 'LoadBalancer', selector: { app: 'api' }, ports: [{ port: 443, targetPort: 'http' }] });
  state.vips.addCluster('web');
  const addresses = state.vips.ensure({ ...svc, requestedClusterIP: '10.96.0.10' });
  vip = addresses.loadBalancerIP ?? '';
  state.proxy.upsertService(svc, addresses, clock.now());
  state.proxy.setEndpoints(computeEndpoints(svc, [api1, api2].map((p) => ({ ...p, ready: true }))), clock.now());
  dp = new DataPath(state, clock);
});

const from = { cluster: 'web', namespace: 'shop', name: 'web-1' };
const flow = (to: FlowRequest['to'], port = 8080): FlowRequest => ({ from, to, port, protocol: 'TCP' });

describe('DataPath', () => {
  it('delivers within a tenant, with source, firewall sides and destination as hops', () => {
    const r = dp.trace(flow({ pod: { cluster: 'web', namespace: 'shop', name: 'api-1' } }));
    expect(r.verdict).toBe('Delivered');
    expect(r.hops.map((h) => [h.component, h.action, h.direction ?? ''])).toEqual([
      ['Source', 'Forwarded', ''],
      ['Firewall', 'Allowed', 'Egress'],
      ['Firewall', 'Allowed', 'Ingress'],
      ['Destination', 'Delivered', ''],
    ]);
    expect(r.hops[0]?.detail).toBe('pod shop/web-1 10.0.1.2 on node web-w0');
  });

  it('drops between tenants by the built-in isolation, on the egress side first', () => {
    const r = dp.trace(flow({ ip: ledger.ip }, 443));
    expect(r.verdict).toBe('Dropped');
    expect(r.decidedBy).toEqual({ tier: 'platform', policy: 'tenant-isolation-acme', rule: 'other-tenants-egress', action: 'Drop' });
    expect(r.hops.at(-1)).toMatchObject({ component: 'Firewall', action: 'Dropped', direction: 'Egress' });
    expect(r.hops.at(-1)?.detail).toBe('egress from shop/web-1: dropped by admin policy tenant-isolation-acme (platform tier) rule other-tenants-egress');
  });

  it('lets a tenant NetworkPolicy isolate a pod, and names it', () => {
    state.applyPolicy([{ op: 'upsertNetworkPolicy', policy: { cluster: 'web', namespace: 'shop', name: 'deny', spec: { podSelector: { matchLabels: { app: 'api' } } } } }]);
    const r = dp.trace(flow({ pod: { cluster: 'web', namespace: 'shop', name: 'api-1' } }));
    expect(r.verdict).toBe('Dropped');
    expect(r.decidedBy).toEqual({ tier: 'application', policy: 'shop/deny', rule: 'isolation', action: 'Isolate' });
    expect(r.hops.map((h) => h.action)).toEqual(['Forwarded', 'Allowed', 'Dropped']);
  });

  it('resolves a VIP to an endpoint, translating to the named target port, without changing the proxy', () => {
    const a = dp.trace(flow({ ip: vip }, 443));
    const b = dp.trace(flow({ ip: vip }, 443));
    const lb = a.hops.find((h) => h.component === 'LoadBalancer');
    expect(lb?.translation?.translated).toEqual({ ip: api1.ip, port: 8080 });
    expect(b.hops.find((h) => h.component === 'LoadBalancer')?.translation?.translated.ip).toBe(api1.ip);
    expect(a.verdict).toBe('Delivered');
    expect(a.hops.at(-1)?.detail).toBe('pod shop/api-1 10.0.1.3:8080/TCP on node web-w0');
  });

  it('records live connections: round robin moves on', () => {
    const first = dp.connect(flow({ ip: vip }, 443));
    const second = dp.connect(flow({ ip: vip }, 443));
    const to = (r: typeof first) => r.result.hops.find((h) => h.component === 'LoadBalancer')?.translation?.translated.ip;
    expect([to(first), to(second)]).toEqual([api1.ip, api2.ip]);
    expect(first.id).toBeDefined();
    expect(dp.close(first.id ?? '')).toBe(true);
  });

  it('stops at the load balancer for a port the Service does not expose, or with no endpoints', () => {
    const closed = dp.trace(flow({ ip: vip }, 80));
    expect(closed).toMatchObject({ verdict: 'Dropped', decidedBy: { tier: 'loadbalancer', action: 'Drop', rule: 'PortNotExposed' } });
    const svc = compileService({ cluster: 'web', namespace: 'shop', name: 'api' }, { type: 'LoadBalancer', selector: { app: 'api' }, ports: [{ port: 443, targetPort: 'http' }] });
    state.proxy.setEndpoints(computeEndpoints(svc, []), clock.now());
    const none = dp.trace(flow({ ip: vip }, 443));
    expect(none).toMatchObject({ verdict: 'Rejected', decidedBy: { tier: 'loadbalancer', rule: 'NoEndpoints' } });
  });

  it('lets loopback through and forwards addresses outside every cluster', () => {
    expect(dp.trace(flow({ pod: from })).hops.map((h) => h.detail)).toContain('shop/web-1 to itself: loopback, which no policy governs');
    const out = dp.trace(flow({ ip: '192.0.2.10' }, 443));
    expect(out.verdict).toBe('Delivered');
    expect(out.hops.at(-1)?.detail).toBe('192.0.2.10:443/TCP is outside every cluster: forwarded out of the overlay');
  });

  it('refuses a source that is not on the network', () => {
    expect(() => dp.trace({ ...flow({ ip: vip }), from: { cluster: 'web', namespace: 'shop', name: 'ghost' } })).toThrow('from: pod shop/ghost of cluster web is not on the network');
  });
});

describe('admin policies above the tenants (the README example)', () => {
  it('connects two tenants with Pass, and high-sensitivity pods still never receive from low ones', () => {
    state.applyPolicy([
      { op: 'upsertAdminPolicy', policy: { name: 'no-low-to-high', spec: { tier: 'platform', priority: 100, appliedTo: { sensitivities: ['high'] }, rules: [{ name: 'drop-low', action: 'Drop', direction: 'Ingress', peers: [{ sensitivities: ['low'] }] }] } } },
      {
        op: 'upsertAdminPolicy',
        policy: {
          name: 'acme-bank',
          spec: {
            tier: 'platform',
            priority: 500,
            appliedTo: { tenants: ['acme', 'bank'] },
            rules: [
              { name: 'out', action: 'Pass', direction: 'Egress', peers: [{ tenants: ['acme', 'bank'] }] },
              { name: 'in', action: 'Pass', direction: 'Ingress', peers: [{ tenants: ['acme', 'bank'] }] },
            ],
          },
        },
      },
    ]);
    const low = dp.trace(flow({ ip: ledger.ip }, 443));
    expect(low.decidedBy).toEqual({ tier: 'platform', policy: 'no-low-to-high', rule: 'drop-low', action: 'Drop' });
    const high = dp.trace({ from: { cluster: 'ledger', namespace: 'books', name: 'ledger-1' }, to: { ip: web.ip }, port: 8080, protocol: 'TCP' });
    expect(high.verdict).toBe('Delivered');
    expect(high.reason).toContain('passed to tenant policies by admin policy acme-bank rule in');
    // The tenant's own NetworkPolicy still decides what was passed to it.
    state.applyPolicy([{ op: 'upsertNetworkPolicy', policy: { cluster: 'web', namespace: 'shop', name: 'deny', spec: { podSelector: {} } } }]);
    expect(dp.trace({ from: { cluster: 'ledger', namespace: 'books', name: 'ledger-1' }, to: { ip: web.ip }, port: 8080, protocol: 'TCP' }).decidedBy).toMatchObject({ tier: 'application', policy: 'shop/deny' });
  });
});

describe('redact', () => {
  it("hides another tenant's pods, Services and policy names from a caller who cannot read them", () => {
    state.applyPolicy([
      { op: 'upsertAdminPolicy', policy: { name: 'connect', spec: { tier: 'platform', priority: 10, appliedTo: {}, rules: [{ action: 'Allow', direction: 'Egress' }] } } },
    ]);
    const r = dp.trace({ from: { cluster: 'ledger', namespace: 'books', name: 'ledger-1' }, to: { ip: web.ip }, port: 8080, protocol: 'TCP' });
    expect(r.decidedBy).toMatchObject({ policy: 'tenant-isolation-acme', rule: 'other-tenants-ingress' });
    const seen = redact(r, (t) => t === 'bank', (c) => (c === 'web' ? 'acme' : 'bank'));
    const text = JSON.stringify(seen);
    for (const secret of ['web-1', 'shop/', 'tenant-isolation-acme', 'acme']) expect(text).not.toContain(secret);
    expect(seen.hops.at(-1)?.detail).toBe('ingress to (another tenant)/pod: dropped by admin policy tenant-isolation-(another tenant) (platform tier) rule other-tenants-ingress');
    // Someone who may read both tenants sees everything.
    expect(redact(r, () => true, () => 'x')).toBe(r);
  });
});
