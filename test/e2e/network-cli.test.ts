// Networking from the CLI, as a user runs it: `apply -f` of NetworkPolicies and an admin policy,
// `get networkpolicies`, `traceflow` (hops, verdict, exit code 0 delivered / 2 not delivered),
// `netpol matrix`, `netpol builtins`, and one-line errors for bad input.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkExtension } from '../../src/network/index.js';
import { workloadsExtension } from '../../src/workloads/index.js';
import { ensureBuilt, runCli } from '../cli/spawn-cli.js';
import { eventually, startTestPlatform, tenant, V1, nodeVm, type Running } from './harness.js';

let run: Running;
let dir: string;
let env: Record<string, string>;
const cli = (args: string[]) => runCli(args, { env });

const APP = `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { team: shop } }
---
apiVersion: v1
kind: Namespace
metadata: { name: batch }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: registry.local/shop/web:1, ports: [{ name: http, containerPort: 8080 }], resources: { requests: { cpu: 50m, memory: 32Mi } } }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  replicas: 1
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers: [{ name: api, image: registry.local/shop/api:1, ports: [{ name: https, containerPort: 8443 }], resources: { requests: { cpu: 50m, memory: 32Mi } } }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: job, namespace: batch }
spec:
  replicas: 1
  selector: { matchLabels: { app: job } }
  template:
    metadata: { labels: { app: job } }
    spec:
      containers: [{ name: job, image: registry.local/shop/job:1, resources: { requests: { cpu: 50m, memory: 32Mi } } }]
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec:
  type: LoadBalancer
  selector: { app: api }
  ports: [{ port: 443, targetPort: https }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: shop }
spec: { podSelector: {}, policyTypes: [Ingress] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-from-shop, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
    - from: [{ namespaceSelector: { matchLabels: { team: shop } } }]
      ports: [{ port: https }]
`;

const BAD = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: bad, namespace: shop }
spec:
  podSelector: {}
  ingress: [{ ports: [{ port: 8080, endPort: 80 }] }]
`;

interface PodObj {
  metadata: { name: string };
  status?: { phase?: string; podIP?: string };
}

let pods: Record<string, string> = {};
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

beforeAll(async () => {
  ensureBuilt();
  run = await startTestPlatform({ timeScale: 2000, extensions: [workloadsExtension, networkExtension] });
  dir = await mkdtemp(join(tmpdir(), 'bulkhead-net-cli-'));
  env = { BULKHEAD_SERVER: run.platform.url, BULKHEAD_TOKEN: run.platform.adminToken ?? '', BULKHEAD_CONFIG: join(dir, 'config.json') };
  await writeFile(join(dir, 'app.yaml'), APP);
  await writeFile(join(dir, 'bad.yaml'), BAD);
  await run.admin.post(`${V1}/tenants`, tenant('acme', 'low'));
  await run.platform.store.create({ apiVersion: 'bulkhead.dev/v1', kind: 'Cluster', metadata: { name: 'web' }, spec: { tenant: 'acme' } });
  await run.admin.post(`${V1}/virtualmachines`, nodeVm('web-w0', 'acme', 'web', 2, 4096));
}, 60_000);
afterAll(async () => {
  await run?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('bulkhead -c web (networking)', () => {
  it('applies policies with the app and lists them', async () => {
    const r = await cli(['-c', 'web', 'apply', '-f', join(dir, 'app.yaml')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('networkpolicy/default-deny created');
    const list = await cli(['-c', 'web', 'get', 'networkpolicies', '-n', 'shop']);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^NAME\s+POD-SELECTOR\s+AGE/);
    expect(list.stdout).toContain('api-from-shop');
    expect(list.stdout).toContain('{"matchLabels":{"app":"api"}}');
    for (const [ns, app] of [
      ['shop', 'web'],
      ['shop', 'api'],
      ['batch', 'job'],
    ] as const) {
      const p = await eventually(async () => {
        const res = await run.admin.get<{ items: PodObj[] }>(`/clusters/web/api/v1/namespaces/${ns}/pods?labelSelector=app%3D${app}`);
        return res.body.items.find((x) => x.status?.phase === 'Running' && x.status.podIP);
      }, 20_000, `${app} running`);
      pods = { ...pods, [app]: `${ns}/${p.metadata.name}`, [`${app}-ip`]: p.status?.podIP ?? '' };
    }
  });

  it('traces an allowed connection: hops, verdict, exit 0', async () => {
    const r = await eventually(async () => {
      const x = await cli(['-c', 'web', 'traceflow', '--from', pods['web'] ?? '', '--to', pods['api'] ?? '', '--port', '8443']);
      return x.code === 0 ? x : undefined;
    }, 10_000, 'delivered');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`Traceflow in cluster web: ${pods['web'] ?? ''} -> ${pods['api'] ?? ''} port 8443/TCP`);
    expect(lines[2]).toMatch(/^HOP\s+COMPONENT\s+ACTION\s+DETAIL/);
    expect(r.stdout).toMatch(/1\s+Source\s+Forwarded\s+pod shop\/web-/);
    expect(r.stdout).toMatch(/Firewall \(ingress\)\s+Allowed\s+ingress to shop\/api-\S+: allowed by NetworkPolicy shop\/api-from-shop rule ingress\[0\]/);
    expect(r.stdout).toMatch(/Destination\s+Delivered/);
    expect(r.stdout).toContain('Verdict: Delivered');
  });

  it('traces a dropped connection with the rule that dropped it, exit 2', async () => {
    const r = await cli(['-c', 'web', 'traceflow', '--from', pods['job'] ?? '', '--to', pods['api-ip'] ?? '', '--port', '8443']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Firewall \(ingress\)\s+Dropped\s+ingress to shop\/api-\S+: isolated by NetworkPolicy shop\/api-from-shop/);
    expect(r.stdout).toContain('Verdict: Dropped');
    const json = await cli(['-c', 'web', 'traceflow', '--from', pods['job'] ?? '', '--to', pods['api-ip'] ?? '', '--port', '8443', '-o', 'json']);
    expect(json.code).toBe(2);
    const tf = JSON.parse(json.stdout) as { status: { verdict: string; decidedBy: { tier: string; policy: string; rule: string } } };
    expect(tf.status.decidedBy).toEqual({ tier: 'application', policy: 'shop/api-from-shop', rule: 'isolation', action: 'Isolate' });
  });

  it('traces through a LoadBalancer VIP to a ready endpoint', async () => {
    const vip = await eventually(async () => {
      const s = await run.admin.get<{ status?: { loadBalancer?: { ingress?: { ip: string }[] } } }>('/clusters/web/api/v1/namespaces/shop/services/api');
      return s.body.status?.loadBalancer?.ingress?.[0]?.ip;
    }, 10_000, 'VIP');
    const r = await cli(['-c', 'web', 'traceflow', '--from', pods['web'] ?? '', '--to', vip, '--port', '443', '--protocol', 'tcp']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`2\\s+LoadBalancer\\s+Translated\\s+${esc(pods['web-ip'] ?? '')}:40000 → ${esc(vip)}:443/TCP DNAT to ${esc(pods['api-ip'] ?? '')}:8443 \\(pod ${esc(pods['api'] ?? '')}\\)`));
    const svc = await cli(['-c', 'web', 'get', 'services', '-n', 'shop']);
    expect(svc.stdout).toMatch(new RegExp(`api\\s+LoadBalancer\\s+10\\.96\\.\\d+\\.\\d+\\s+${esc(vip)}`));
  });

  it('prints the matrix of a namespace per port', async () => {
    const r = await cli(['-c', 'web', 'netpol', 'matrix', '-n', 'shop', '--port', '8443']);
    expect(r.code).toBe(0);
    const api = pods['api'] ?? '';
    const web = pods['web'] ?? '';
    expect(r.stdout.split('\n')[0]).toBe('8443/TCP in cluster web, namespace shop: 3 allowed, 1 denied (rows: from, columns: to; . allowed, X denied)');
    expect(r.stdout).toContain(['-\t', api, web].join('\t'));
    expect(r.stdout).toContain([api, '.\t', 'X\t'].join('\t')); // api -> web: web is isolated by default-deny
    expect(r.stdout).toContain([web, '.\t', '.\t'].join('\t')); // web -> api: allowed by api-from-shop
  });

  it('lists the built-in tenant isolation policies', async () => {
    const r = await cli(['netpol', 'builtins']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tenant-isolation-acme\s+platform\s+10000\s+acme/);
  });

  it('fails with one line for bad input', async () => {
    const port = await cli(['-c', 'web', 'traceflow', '--from', pods['web'] ?? '', '--to', pods['api'] ?? '', '--port', '70000']);
    expect(port.code).toBe(1);
    expect(port.stderr).toBe('error: --port must be between 1 and 65535, got 70000\n');
    const noCluster = await cli(['traceflow', '--from', 'shop/x', '--to', 'shop/y', '--port', '80']);
    expect(noCluster.code).toBe(1);
    expect(noCluster.stderr).toMatch(/^error: traceflow runs inside a cluster: add -c CLUSTER/);
    const missing = await cli(['-c', 'web', 'traceflow', '--from', 'shop/ghost', '--to', pods['api'] ?? '', '--port', '80']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error: Pod "shop/ghost" not found\n');
    const bad = await cli(['-c', 'web', 'apply', '-f', join(dir, 'bad.yaml')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('spec.ingress[0].ports[0].endPort: must be >= port (8080)');
  });
});
