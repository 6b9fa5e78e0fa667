import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../api/index.js';
import { VirtualClock } from '../../clock/index.js';
import { formatIpv4 } from '../ipam/index.js';
import { compileService } from './compile-service.js';
import { computeEndpoints, type EndpointPod } from './endpoints.js';
import { ServiceProxy, type ProbeTarget } from './proxy.js';
import type { ResolveRequest, Translated } from './resolution.js';
import type { ServiceSpecInput } from './service.js';
import { ServiceVips } from './vips.js';

const key = { cluster: 'prod', namespace: 'shop', name: 'web' };
const T0 = Date.UTC(2025, 0, 1);

const pod = (i: number, over: Partial<EndpointPod> = {}): EndpointPod => ({
  namespace: 'shop',
  name: `web-${i}`,
  labels: { app: 'web' },
  ip: `10.0.1.${i + 2}`,
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  ready: true,
  ...over,
});
const pods = [pod(0), pod(1), pod(2)];

function setup(spec: Partial<ServiceSpecInput> = {}, members: EndpointPod[] = pods) {
  const clock = new VirtualClock(T0);
  const vips = new ServiceVips({ vipPool: '203.0.113.0/28' });
  vips.addCluster('prod');
  const service = compileService(key, { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec });
  const addresses = vips.ensure(service);
  const proxy = new ServiceProxy();
  proxy.upsertService(service, addresses, clock.now());
  const setPods = (ps: EndpointPod[]) => proxy.setEndpoints(computeEndpoints(service, ps), clock.now());
  setPods(members);
  return { clock, proxy, service, addresses, setPods };
}

const flow = (clientIp = '10.0.1.9', over: Partial<ResolveRequest> = {}): ResolveRequest => ({ target: { service: key }, port: 80, protocol: 'TCP', clientIp, clientPort: 40_000, ...over });

/** Connects and returns the pod name (fails the test when the flow is not translated). */
function connectPod(proxy: ServiceProxy, now: number, req: ResolveRequest = flow()): string {
  const c = proxy.connect(req, now);
  if (c.resolution.outcome !== 'Translated') throw new Error(`not translated: ${c.resolution.reason}`);
  return c.resolution.endpoint.pod;
}

/** Runs the health monitor for `seconds`, one tick a second, answering probes with `answer`. */
async function runMonitor(proxy: ServiceProxy, clock: VirtualClock, seconds: number, answer: (t: ProbeTarget) => boolean | 'hang'): Promise<void> {
  for (let s = 0; s < seconds; s++) {
    proxy.expireProbes(clock.now());
    for (const t of proxy.dueProbes(clock.now())) {
      proxy.probeStarted(t.id, clock.now());
      const a = answer(t);
      if (a !== 'hang') proxy.probeFinished(t.id, a, clock.now() + 50);
    }
    await clock.advance(1000);
  }
}

describe('ServiceProxy.resolve', () => {
  it('translates a flow to the ClusterIP, by Service name or by address inside the cluster, and describes the DNAT', () => {
    const { proxy, clock } = setup();
    const r = proxy.resolve(flow(), clock.now()) as Translated;
    expect(r.outcome).toBe('Translated');
    expect(r.endpoint).toEqual({ pod: 'web-0', ip: '10.0.1.2', port: 8080 });
    expect(r.frontend).toEqual({ kind: 'ClusterIP', ip: '10.96.0.1', port: 80, protocol: 'TCP' });
    expect(r.translation.text).toBe('10.0.1.9:40000 → 10.96.0.1:80/TCP DNAT to 10.0.1.2:8080 (pod shop/web-0)');
    expect(r.translation.translated).toEqual({ ip: '10.0.1.2', port: 8080 });
    expect(proxy.resolve(flow('10.0.1.9', { target: { ip: '10.96.0.1', cluster: 'prod' } }), clock.now())).toEqual(r);
    expect(proxy.resolve(flow('10.0.1.9', { target: { ip: '10.96.0.1', cluster: 'dev' } }), clock.now()).outcome).toBe('NotAService');
    expect(proxy.resolve(flow('10.0.1.9', { target: { ip: '10.0.1.2', cluster: 'prod' } }), clock.now()).outcome).toBe('NotAService');
  });

  it('changes nothing, so traceflow does not disturb the data path; connect takes turns', () => {
    const { proxy, clock } = setup();
    const before = proxy.toState();
    const a = proxy.resolve(flow(), clock.now());
    expect(proxy.resolve(flow(), clock.now())).toEqual(a);
    expect(proxy.toState()).toEqual(before);
    expect(Array.from({ length: 6 }, () => connectPod(proxy, clock.now()))).toEqual(['web-0', 'web-1', 'web-2', 'web-0', 'web-1', 'web-2']);
  });

  it.each([
    [{ port: 81 }, 'PortNotExposed', 'Drop'],
    [{ protocol: 'UDP' as const }, 'PortNotExposed', 'Drop'],
    [{ target: { service: { ...key, name: 'nope' } } }, 'ServiceNotFound', 'Drop'],
  ])('refuses %j with %s (%s)', (over, code, action) => {
    const { proxy, clock } = setup();
    expect(proxy.resolve(flow('10.0.1.9', over), clock.now())).toMatchObject({ outcome: 'Refused', code, action });
  });

  it('rejects flows to a Service with no ready endpoints, and serves only ready pods', () => {
    const { proxy, clock, setPods } = setup({}, [pod(0, { ready: false }), pod(1, { ready: false })]);
    expect(proxy.resolve(flow(), clock.now())).toMatchObject({ outcome: 'Refused', code: 'NoEndpoints', action: 'Reject', reason: expect.stringContaining('no ready endpoints') });
    setPods([pod(0), pod(1, { ready: false }), pod(2)]);
    expect(Array.from({ length: 4 }, () => connectPod(proxy, clock.now()))).toEqual(['web-0', 'web-2', 'web-0', 'web-2']);
  });

  it('sends each flow to the port the chosen pod exposes under the named targetPort', () => {
    const { proxy, clock } = setup({}, [pod(0), pod(1, { ports: [{ name: 'http', port: 9000, protocol: 'TCP' }] }), pod(2, { ports: [] })]);
    const ports = Array.from({ length: 2 }, () => (proxy.connect(flow(), clock.now()).resolution as Translated).translation.translated);
    expect(ports).toEqual([
      { ip: '10.0.1.2', port: 8080 },
      { ip: '10.0.1.3', port: 9000 },
    ]);
  });

  it('filters LoadBalancer VIP traffic by loadBalancerSourceRanges, but not ClusterIP traffic', () => {
    const { proxy, clock, addresses } = setup({ type: 'LoadBalancer', loadBalancerSourceRanges: ['198.51.100.0/24'] });
    expect(addresses.loadBalancerIP).toBe('203.0.113.1');
    const toVip = (client: string) => proxy.resolve(flow(client, { target: { ip: '203.0.113.1' } }), clock.now());
    expect(toVip('198.51.100.7')).toMatchObject({ outcome: 'Translated', frontend: { kind: 'LoadBalancer', ip: '203.0.113.1' } });
    expect(toVip('192.0.2.1')).toMatchObject({ outcome: 'Refused', code: 'SourceRangeDenied', action: 'Drop', reason: expect.stringContaining('198.51.100.0/24') });
    expect(proxy.resolve(flow('192.0.2.1'), clock.now()).outcome).toBe('Translated');
  });
});

describe('ServiceProxy algorithms', () => {
  it('LEAST_CONNECTION follows connections as they open and close', () => {
    const { proxy, clock } = setup({ loadBalancing: { algorithm: 'LEAST_CONNECTION' } });
    const ids = Array.from({ length: 3 }, () => proxy.connect(flow(), clock.now()).id as string);
    expect(proxy.membersOf(key).map((m) => m.connections)).toEqual([1, 1, 1]);
    expect(proxy.close(ids[1] as string)).toBe(true);
    expect(proxy.close(ids[1] as string)).toBe(false);
    expect(connectPod(proxy, clock.now())).toBe('web-1');
    expect(connectPod(proxy, clock.now())).toBe('web-2');
    proxy.close(ids[0] as string);
    proxy.close(ids[2] as string);
    expect(proxy.membersOf(key).map((m) => m.connections)).toEqual([0, 1, 1]);
    expect(connectPod(proxy, clock.now())).toBe('web-0');
  });

  it('IP_HASH keeps each client on one pod and moves only the clients of a pod that leaves', () => {
    const { proxy, clock, setPods } = setup({ loadBalancing: { algorithm: 'IP_HASH' } });
    const clients = Array.from({ length: 300 }, (_, i) => formatIpv4(0xc6336400 + i * 7919));
    const first = new Map(clients.map((c) => [c, connectPod(proxy, clock.now(), flow(c))]));
    for (const c of clients) expect(connectPod(proxy, clock.now(), flow(c))).toBe(first.get(c));
    expect(new Set(first.values())).toEqual(new Set(['web-0', 'web-1', 'web-2']));
    setPods([pod(0), pod(2)]);
    for (const c of clients) {
      const now = connectPod(proxy, clock.now(), flow(c));
      if (first.get(c) !== 'web-1') expect(now).toBe(first.get(c));
      else expect(now).not.toBe('web-1');
    }
  });
});

describe('ServiceProxy ClientIP affinity', () => {
  it('keeps a client on its pod until timeoutSeconds after its last connection, on the injected clock', async () => {
    const { proxy, clock } = setup({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } });
    expect(connectPod(proxy, clock.now(), flow('192.0.2.1'))).toBe('web-0');
    expect(connectPod(proxy, clock.now(), flow('192.0.2.2'))).toBe('web-1');
    await clock.advance(59_000);
    const sticky = proxy.resolve(flow('192.0.2.1'), clock.now());
    expect(sticky).toMatchObject({ outcome: 'Translated', pickedBy: 'ClientIPAffinity', endpoint: { pod: 'web-0' } });
    expect(connectPod(proxy, clock.now(), flow('192.0.2.1'))).toBe('web-0'); // refreshes
    await clock.advance(59_999);
    expect(connectPod(proxy, clock.now(), flow('192.0.2.1'))).toBe('web-0');
    await clock.advance(60_000);
    const lapsed = proxy.resolve(flow('192.0.2.1'), clock.now());
    expect(lapsed).toMatchObject({ outcome: 'Translated', pickedBy: 'ROUND_ROBIN', endpoint: { pod: 'web-2' } });
    expect(proxy.sweepAffinity(clock.now())).toBe(2);
  });

  it('uses the Kubernetes default of 10800 s', async () => {
    const { proxy, clock } = setup({ sessionAffinity: 'ClientIP' });
    connectPod(proxy, clock.now(), flow('192.0.2.1'));
    await clock.advance(10_800_000 - 1);
    expect(proxy.resolve(flow('192.0.2.1'), clock.now())).toMatchObject({ pickedBy: 'ClientIPAffinity' });
    await clock.advance(1);
    expect(proxy.resolve(flow('192.0.2.1'), clock.now())).toMatchObject({ pickedBy: 'ROUND_ROBIN' });
  });

  it('moves a client whose pod left and sticks it to the new one', () => {
    const { proxy, clock, setPods } = setup({ sessionAffinity: 'ClientIP' });
    expect(connectPod(proxy, clock.now(), flow('192.0.2.1'))).toBe('web-0');
    setPods([pod(1), pod(2)]);
    const moved = connectPod(proxy, clock.now(), flow('192.0.2.1'));
    expect(moved).not.toBe('web-0');
    for (let i = 0; i < 3; i++) expect(connectPod(proxy, clock.now(), flow('192.0.2.1'))).toBe(moved);
  });
});

describe('ServiceProxy health monitoring', () => {
  const monitored = { loadBalancing: { healthMonitor: { type: 'TCP' as const } } };

  it('probes every member, takes a failing one out after fall_count failures and back after rise_count successes', async () => {
    const { proxy, clock } = setup(monitored);
    expect(proxy.dueProbes(clock.now()).map((t) => [t.backend.pod, t.probePort, t.type])).toEqual([
      ['web-0', 8080, 'TCP'],
      ['web-1', 8080, 'TCP'],
      ['web-2', 8080, 'TCP'],
    ]);
    let web1Healthy = false;
    const answer = (t: ProbeTarget) => t.backend.pod !== 'web-1' || web1Healthy;
    await runMonitor(proxy, clock, 11, answer); // probes at 0, 5, 10 s: the third failure marks web-1 DOWN
    expect(proxy.membersOf(key).map((m) => `${m.backend.pod}:${m.health}`)).toEqual(['web-0:UP', 'web-1:DOWN', 'web-2:UP']);
    expect(Array.from({ length: 4 }, () => connectPod(proxy, clock.now()))).toEqual(['web-0', 'web-2', 'web-0', 'web-2']);
    web1Healthy = true;
    await runMonitor(proxy, clock, 10, answer); // two successes: still DOWN
    expect(proxy.membersOf(key)[1]?.health).toBe('DOWN');
    await runMonitor(proxy, clock, 5, answer); // the third
    expect(proxy.membersOf(key)[1]?.health).toBe('UP');
    expect(Array.from({ length: 3 }, () => connectPod(proxy, clock.now()))).toEqual(['web-0', 'web-1', 'web-2']);
  });

  it('counts probes that never answer as failures after the timeout', async () => {
    const { proxy, clock } = setup(monitored);
    await runMonitor(proxy, clock, 44, (t) => (t.backend.pod === 'web-2' ? 'hang' : true));
    expect(proxy.membersOf(key)[2]?.health).toBe('UNKNOWN');
    await runMonitor(proxy, clock, 5, (t) => (t.backend.pod === 'web-2' ? 'hang' : true)); // third timeout at 48 s
    expect(proxy.membersOf(key)[2]?.health).toBe('DOWN');
  });

  it('rejects flows when every member is DOWN, saying so, and tells the driver when to come back', async () => {
    const { proxy, clock } = setup(monitored);
    expect(proxy.nextHealthCheckAt()).toBe(clock.now());
    await runMonitor(proxy, clock, 11, () => false);
    expect(proxy.resolve(flow(), clock.now())).toMatchObject({ code: 'NoEndpoints', action: 'Reject', reason: expect.stringContaining('all 3 of its endpoints are DOWN') });
    expect(proxy.nextHealthCheckAt()).toBe(T0 + 15_000);
  });

  it('starts new members UNKNOWN and forgets departed ones', () => {
    const { proxy, clock, setPods } = setup(monitored);
    setPods([pod(0), pod(3)]);
    expect(proxy.membersOf(key).map((m) => `${m.backend.pod}:${m.health}`)).toEqual(['web-0:UNKNOWN', 'web-3:UNKNOWN']);
    expect(Object.keys(proxy.toState().health['prod/shop/web#80/TCP'] ?? {})).toEqual(['10.0.1.2:8080', '10.0.1.5:8080']);
    expect(proxy.probeStarted('prod/shop/web#80/TCP@10.0.1.3:8080', clock.now())).toBe(false);
  });
});

describe('ServiceProxy lifecycle and state', () => {
  it('rebuilds from JSON state mid-stream and continues identically', async () => {
    const { proxy, clock } = setup({ sessionAffinity: 'ClientIP', loadBalancing: { algorithm: 'LEAST_CONNECTION', healthMonitor: {} } });
    await runMonitor(proxy, clock, 6, (t) => t.backend.pod !== 'web-0');
    const ids = ['192.0.2.1', '192.0.2.2', '192.0.2.3'].map((c) => proxy.connect(flow(c), clock.now()).id as string);
    proxy.close(ids[0] as string);
    const copy = ServiceProxy.fromState(JSON.parse(JSON.stringify(proxy.toState())));
    expect(copy.toState()).toEqual(proxy.toState());
    for (const c of ['192.0.2.1', '192.0.2.9', '192.0.2.2']) expect(copy.connect(flow(c), clock.now())).toEqual(proxy.connect(flow(c), clock.now()));
    expect(copy.dueProbes(clock.now() + 5000)).toEqual(proxy.dueProbes(clock.now() + 5000));
  });

  it('refuses a frontend another Service already holds, and forgets a deleted Service', () => {
    const { proxy, clock, service, addresses } = setup();
    const other = compileService({ ...key, name: 'other' }, { ports: [{ port: 80 }] });
    expect(() => proxy.upsertService(other, { clusterIP: addresses.clusterIP as string }, clock.now())).toThrow(ValidationError);
    expect(() => proxy.upsertService(other, {}, clock.now())).toThrow(/has no ClusterIP/);
    const id = proxy.connect(flow(), clock.now()).id as string;
    proxy.deleteService(service.key);
    expect(proxy.resolve(flow(), clock.now())).toMatchObject({ code: 'ServiceNotFound' });
    expect(proxy.resolve(flow('10.0.1.9', { target: { ip: '10.96.0.1', cluster: 'prod' } }), clock.now()).outcome).toBe('NotAService');
    expect(proxy.close(id)).toBe(true);
    expect(() => proxy.setEndpoints(computeEndpoints(service, pods), clock.now())).toThrow(/not found/);
  });

  it('drops a removed port’s state when a Service changes', () => {
    const { proxy, clock, addresses } = setup({ sessionAffinity: 'ClientIP' });
    connectPod(proxy, clock.now());
    const changed = compileService(key, { selector: { app: 'web' }, ports: [{ name: 'https', port: 443, targetPort: 8443 }], sessionAffinity: 'ClientIP' });
    proxy.upsertService(changed, addresses, clock.now());
    expect(proxy.toState().affinity).toEqual({});
    expect(proxy.toState().lastPicked).toEqual({});
    expect(proxy.resolve(flow(), clock.now())).toMatchObject({ code: 'PortNotExposed' });
    proxy.setEndpoints(computeEndpoints(changed, pods), clock.now());
    expect(proxy.resolve(flow('10.0.1.9', { port: 443 }), clock.now())).toMatchObject({ outcome: 'Translated', endpoint: { port: 8443 } });
  });

  it('property: a translated flow always lands on a ready endpoint that is not DOWN, and counts match open connections', () => {
    type Op = { kind: 'connect'; client: number } | { kind: 'close'; nth: number } | { kind: 'pods'; ready: boolean[] } | { kind: 'probe'; pod: number; ok: boolean } | { kind: 'tick' };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('connect' as const), client: fc.nat({ max: 9 }) }),
      fc.record({ kind: fc.constant('close' as const), nth: fc.nat() }),
      fc.record({ kind: fc.constant('pods' as const), ready: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }) }),
      fc.record({ kind: fc.constant('probe' as const), pod: fc.nat({ max: 3 }), ok: fc.boolean() }),
      fc.record({ kind: fc.constant('tick' as const) }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('ROUND_ROBIN' as const, 'LEAST_CONNECTION' as const, 'IP_HASH' as const),
        fc.boolean(),
        fc.array(op, { maxLength: 80, size: 'max' }),
        (algorithm, sticky, ops) => {
          const { proxy, clock, setPods } = setup({
            loadBalancing: { algorithm, healthMonitor: { fallCount: 1, riseCount: 1, intervalSeconds: 1 } },
            ...(sticky ? { sessionAffinity: 'ClientIP' as const, sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } } } : {}),
          });
          let current = [pod(0), pod(1), pod(2), pod(3)];
          setPods(current);
          const open: string[] = [];
          let now = clock.now();
          for (const o of ops) {
            if (o.kind === 'pods') {
              current = current.map((p, i) => ({ ...p, ready: o.ready[i] ?? true }));
              setPods(current);
            } else if (o.kind === 'probe') {
              const id = `prod/shop/web#80/TCP@10.0.1.${o.pod + 2}:8080`;
              if (proxy.probeStarted(id, now)) proxy.probeFinished(id, o.ok, now);
            } else if (o.kind === 'tick') now += 1000;
            else if (o.kind === 'close') {
              if (open.length > 0) proxy.close(open.splice(o.nth % open.length, 1)[0] as string);
            } else {
              const c = proxy.connect(flow(`192.0.2.${o.client}`), now);
              const members = proxy.membersOf(key);
              if (c.resolution.outcome === 'Translated') {
                const chosen = c.resolution.endpoint.pod;
                expect(current.find((p) => p.name === chosen)?.ready).toBe(true);
                expect(members.find((m) => m.backend.pod === chosen)?.health).not.toBe('DOWN');
                open.push(c.id as string);
              } else {
                expect(c.resolution).toMatchObject({ code: 'NoEndpoints' });
                expect(members.every((m) => m.health === 'DOWN')).toBe(true);
              }
            }
            const counted = Object.values(proxy.toState().connections).length;
            expect(counted).toBe(open.length);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
