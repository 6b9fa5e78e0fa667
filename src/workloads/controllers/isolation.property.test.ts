// Property: over random tenants, clusters (nodes of varying size, some cordoned or lost, a plan's
// max pods) and deployments, no pod lands outside its cluster's Ready worker nodes, on another
// tenant's VM, over a node's allocatable or over the plan's max pods per node.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { podRequests, type Pod, type VirtualMachine } from '../../api/index.js';
import { allocatable } from '../../scheduler/pods/index.js';
import { startHarness } from '../harness.test-util.js';

const clusterArb = fc.record({
  tenant: fc.constantFrom('acme', 'beta', 'gamma'),
  maxPods: fc.integer({ min: 2, max: 12 }),
  nodes: fc.array(fc.record({ cpus: fc.constantFrom(2, 4), memoryMiB: fc.constantFrom(2048, 4096, 8192), state: fc.constantFrom('ok', 'ok', 'ok', 'cordoned', 'lost', 'control-plane') }), { minLength: 1, maxLength: 5 }),
  deployments: fc.array(fc.record({ replicas: fc.integer({ min: 1, max: 12 }), cpu: fc.constantFrom('100m', '500m', '1'), memory: fc.constantFrom('128Mi', '512Mi', '1Gi') }), { minLength: 1, maxLength: 3 }),
});

describe('pod isolation and capacity (property)', () => {
  it('holds for random clusters, tenants and deployments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(clusterArb, { minLength: 1, maxLength: 3 }), async (clusters) => {
        const h = await startHarness(3);
        try {
          for (const [ci, c] of clusters.entries()) {
            const name = `c${ci}`;
            await h.cluster(name, c.tenant, { name: `plan-${ci}`, maxPodsPerNode: c.maxPods });
            for (const [ni, n] of c.nodes.entries()) {
              await h.node(`${name}-n${ni}`, {
                cluster: name,
                tenant: c.tenant,
                cpus: n.cpus,
                memoryMiB: n.memoryMiB,
                role: n.state === 'control-plane' ? 'control-plane' : 'worker',
                phase: n.state === 'lost' ? 'Lost' : 'Running',
                host: `h${ni % 2}`,
                ...(n.state === 'cordoned' ? { labels: { 'bulkhead.dev/node-schedulable': 'false' } } : {}),
              });
            }
            for (const [di, d] of c.deployments.entries()) {
              await h.deployment(name, 'default', `d${di}`, d.replicas, {
                selector: { matchLabels: { app: `d${di}` } },
                template: { metadata: { labels: { app: `d${di}` } }, spec: { containers: [{ name: 'a', image: 'busybox', resources: { requests: { cpu: d.cpu, memory: d.memory } } }] } },
              });
            }
          }
          await h.run(15_000, 500);
          const vms = new Map(h.informer<VirtualMachine>('VirtualMachine').list().map((v) => [v.metadata.name, v]));
          const perNode = new Map<string, Pod[]>();
          for (const p of h.pods()) {
            const node = p.spec?.nodeName;
            if (!node) continue;
            const cluster = (p.metadata.namespace ?? '').split('/')[0] ?? '';
            const vm = vms.get(node);
            const c = clusters[Number(cluster.slice(1))];
            expect(vm?.metadata.labels?.['bulkhead.dev/cluster']).toBe(cluster);
            expect(vm?.metadata.labels?.['bulkhead.dev/role']).toBe('worker');
            expect(vm?.metadata.labels?.['bulkhead.dev/node-schedulable']).toBeUndefined();
            expect(vm?.status?.phase).toBe('Running');
            expect(vm?.spec?.tenant).toBe(c?.tenant);
            perNode.set(node, [...(perNode.get(node) ?? []), p]);
          }
          // Every deployment's first pod fits an empty healthy worker, so a cluster with one binds something.
          const healthy = clusters.some((c) => c.nodes.some((n) => n.state === 'ok'));
          expect(perNode.size > 0).toBe(healthy);
          for (const [node, pods] of perNode) {
            const vm = vms.get(node);
            if (!vm?.spec) continue;
            const alloc = allocatable(vm.spec.cpus, vm.spec.memoryMiB);
            const sum = pods.reduce((s, p) => { const r = podRequests(p.spec ?? { containers: [] }); return { cpu: s.cpu + r.cpuMillis, mem: s.mem + r.memoryMiB }; }, { cpu: 0, mem: 0 });
            expect(sum.cpu).toBeLessThanOrEqual(alloc.cpuMillis);
            expect(sum.mem).toBeLessThanOrEqual(alloc.memoryMiB);
            const c = clusters[Number(node.split('-')[0]?.slice(1))];
            expect(pods.length).toBeLessThanOrEqual(c?.maxPods ?? 110);
          }
        } finally {
          await h.stop();
        }
      }),
      { numRuns: 12, seed: 20260101 },
    );
  }, 120_000);
});
