// Which pool a VM runs in: named, else its cluster's pool in its zone, else its tenant's default
// pool in its zone, else the zone root; a named pool it may not use is reported and ignored.
import { describe, expect, it } from 'vitest';
import { API_VERSION, type VirtualMachine } from '../../api/index.js';
import type { ResourcePoolObject, ResourcePoolObjectSpec } from '../../api/kinds/balance-kinds.js';
import { assignPool, indexPools } from './pool-assignment.js';
import { buildPoolTree } from './pool-tree-builder.js';

const GiB = 1024;
const caps = new Map([
  ['a', { cpuMHz: 100_000, memoryMiB: 512 * GiB }],
  ['b', { cpuMHz: 100_000, memoryMiB: 512 * GiB }],
]);
let seq = 0;
function pool(name: string, spec: ResourcePoolObjectSpec): ResourcePoolObject {
  return { apiVersion: API_VERSION, kind: 'ResourcePool', metadata: { name, creationTimestamp: `2026-01-01T00:00:${String(seq++).padStart(2, '0')}Z` }, spec };
}
function vm(tenant: string, o: { pool?: string; cluster?: string } = {}): VirtualMachine {
  return {
    apiVersion: API_VERSION,
    kind: 'VirtualMachine',
    metadata: { name: 'v', ...(o.cluster ? { labels: { 'bulkhead.dev/cluster': o.cluster } } : {}) },
    spec: { tenant, cpus: 1, memoryMiB: 1024, ...(o.pool ? { resources: { pool: o.pool } } : {}) },
  };
}

const pools = [
  pool('acme-a', { zone: 'a', tenant: 'acme', tenantDefault: true }),
  pool('acme-web-a', { zone: 'a', parent: 'acme-a', tenant: 'acme', clusters: ['web'] }),
  pool('shared-a', { zone: 'a' }),
  pool('globex-a', { zone: 'a', tenant: 'globex', tenantDefault: true }),
  pool('acme-b', { zone: 'b', tenant: 'acme' }),
];
const { tree } = buildPoolTree(pools, caps);
const index = indexPools(pools);

describe('assignPool', () => {
  it.each([
    ['a named pool', vm('acme', { pool: 'shared-a' }), 'a', { pool: 'shared-a', source: 'explicit' }],
    ['the cluster pool of the zone', vm('acme', { cluster: 'web' }), 'a', { pool: 'acme-web-a', source: 'cluster' }],
    ['the tenant default of the zone', vm('acme'), 'a', { pool: 'acme-a', source: 'tenant' }],
    ['the root when the zone has no default for the tenant', vm('acme'), 'b', { pool: undefined, source: 'root' }],
    ['the root for a cluster whose zone has no pool for it', vm('acme', { cluster: 'web' }), 'b', { pool: undefined, source: 'root' }],
    ['the root for a tenant without pools', vm('initech'), 'a', { pool: undefined, source: 'root' }],
  ])('%s', (_what, v, zone, want) => {
    expect(assignPool(index, tree, v, zone)).toEqual(want);
  });

  it.each([
    ['another tenant\'s pool', vm('acme', { pool: 'globex-a' }), 'a', /pool "globex-a" belongs to tenant "globex"/, 'acme-a'],
    ['a pool of another zone', vm('acme', { pool: 'acme-b' }), 'a', /pool "acme-b" is in zone "b", not "a"/, 'acme-a'],
    ['a missing pool', vm('acme', { pool: 'gone' }), 'a', /pool "gone" does not exist/, 'acme-a'],
  ])('ignores and reports %s', (_what, v, zone, problem, fallback) => {
    const a = assignPool(index, tree, v, zone);
    expect(a.problem).toMatch(problem);
    expect(a.pool).toBe(fallback);
  });
});

describe('buildPoolTree', () => {
  it('leaves out a pool that no longer fits, with its children, and says why', () => {
    const ps = [pool('big', { zone: 'a', cpu: { reservationMHz: 80_000, expandableReservation: false } }), pool('kid', { zone: 'a', parent: 'big' }), pool('fine', { zone: 'a' })];
    const shrunk = new Map([['a', { cpuMHz: 50_000, memoryMiB: 512 * GiB }]]);
    const built = buildPoolTree(ps, shrunk);
    expect([...built.tree.nodes.keys()].sort()).toEqual(['fine', 'zone:a']);
    expect(built.invalid.get('big')).toMatch(/^spec\.cpu\.reservationMHz: cpu reservation of 80000 MHz does not fit/);
    expect(built.invalid.get('kid')).toMatch(/spec\.parent: unknown pool "big"/);
  });
});
