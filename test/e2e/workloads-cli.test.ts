// The user story of workloads from the CLI: `bulkhead -c web apply -f app.yaml`, `get pods -o wide`,
// `describe pod ns/name` with the placement explanation, `get deployments`, `delete`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workloadsExtension } from '../../src/workloads/index.js';
import { ensureBuilt, runCli } from '../cli/spawn-cli.js';
import { eventually, startTestPlatform, tenant, V1, nodeVm, type Running } from './harness.js';

let run: Running;
let dir: string;
let env: Record<string, string>;
const cli = (args: string[]) => runCli(args, { env });

const APP = `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: api
          image: registry.local/shop/api:1
          resources: { requests: { cpu: 250m, memory: 256Mi } }
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec:
  selector: { app: api }
  ports: [{ port: 80, targetPort: 8080 }]
`;

beforeAll(async () => {
  ensureBuilt();
  run = await startTestPlatform({ timeScale: 2000, extensions: [workloadsExtension] });
  dir = await mkdtemp(join(tmpdir(), 'bulkhead-wl-cli-'));
  env = { BULKHEAD_SERVER: run.platform.url, BULKHEAD_TOKEN: run.platform.adminToken ?? '', BULKHEAD_CONFIG: join(dir, 'config.json') };
  await writeFile(join(dir, 'app.yaml'), APP);
  await run.admin.post(`${V1}/tenants`, tenant('acme', 'low'));
  await run.platform.store.create({ apiVersion: 'bulkhead.dev/v1', kind: 'Cluster', metadata: { name: 'web' }, spec: { tenant: 'acme' } });
  for (let i = 0; i < 2; i++) {
    await run.admin.post(`${V1}/virtualmachines`, nodeVm(`web-w${i}`, 'acme', 'web', 2, 4096));
  }
}, 60_000);
afterAll(async () => {
  await run?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('bulkhead -c web', () => {
  it('applies, lists with node and host, describes the placement, deletes', async () => {
    const applied = await cli(['-c', 'web', 'apply', '-f', join(dir, 'app.yaml')]);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toBe('namespace/shop created\ndeployment/api created\nservice/api created\n');
    const wide = await eventually(async () => {
      const r = await cli(['-c', 'web', 'get', 'pods', '-n', 'shop', '-o', 'wide']);
      const lines = r.stdout.trim().split('\n');
      return lines.length === 3 && lines.slice(1).every((l) => / 1\/1 +Running +web-w\d /.test(l)) ? lines : undefined;
    }, 30_000, 'pods running in the CLI');
    expect(wide[0]).toMatch(/^NAME +READY +STATUS +NODE +HOST +IP +QOS +AGE$/);
    const podName = (wide[1] ?? '').split(/\s+/)[0] ?? '';
    const d = await cli(['-c', 'web', 'describe', 'pod', `shop/${podName}`]);
    expect(d.stdout).toMatch(/Placement:\n +Evaluated: +2 nodes, 2 feasible/);
    expect(d.stdout).toMatch(/Chosen: +web-w\d/);
    const deps = await cli(['-c', 'web', 'get', 'deployments', '-A']);
    expect(deps.stdout).toMatch(/^NAMESPACE +NAME +DESIRED/);
    expect(deps.stdout).toMatch(/shop +api +2/);
    const noCluster = await cli(['get', 'pods']);
    expect(noCluster.code).toBe(1);
    expect(noCluster.stderr).toMatch(/pods live inside a cluster: add -c CLUSTER/);
    const del = await cli(['-c', 'web', 'delete', 'deployment', 'api', '-n', 'shop']);
    expect(del.stdout).toBe('deployment/api deleted\n');
    await eventually(async () => ((await cli(['-c', 'web', 'get', 'pods', '-n', 'shop', '-o', 'name'])).stdout === '' ? true : undefined), 15_000, 'pods gone');
  });
});
