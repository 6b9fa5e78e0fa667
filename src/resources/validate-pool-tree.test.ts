/** Pool tree validation: every kind of mistake named by pool and field, and vSphere's reservation rules. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../api/index.js';
import { pool, zones, ZONE } from './fixtures.test-util.js';
import type { PoolDef } from './pool-tree.js';
import { reservedOf, rootPoolName } from './pool-tree.js';
import { poolTreeError, validatePoolTree, type PoolCause } from './validate-pool-tree.js';

const CAP = zones([ZONE, { cpuMHz: 10_000, memoryMiB: 10_240 }], ['z2', { cpuMHz: 5000, memoryMiB: 5000 }]);

function causes(pools: readonly PoolDef[]): PoolCause[] {
  const r = validatePoolTree(pools, CAP);
  return r.ok ? [] : [...r.causes];
}

describe('validatePoolTree', () => {
  it('builds a tree with a root per zone, children in order and reservations admitted', () => {
    const r = validatePoolTree([pool('prod', { cpuRes: 4000, memRes: 2048 }), pool('web', { parent: 'prod', cpuRes: 1000 }), pool('dev')], CAP);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const root = r.tree.nodes.get(rootPoolName(ZONE));
    expect(root?.children).toEqual(['prod', 'dev']);
    expect(root?.cpu.reservation).toBe(10_000);
    expect(r.tree.nodes.get(rootPoolName('z2'))?.children).toEqual([]);
    expect(r.tree.nodes.get('prod')?.children).toEqual(['web']);
    expect(reservedOf(r.tree, rootPoolName(ZONE), 'cpu')).toBe(4000);
    expect(reservedOf(r.tree, rootPoolName(ZONE), 'memory')).toBe(2048);
    expect(reservedOf(r.tree, 'prod', 'cpu')).toBe(1000);
    // Defaults: normal shares of a 4-vCPU/16 GB VM, unlimited, expandable.
    expect(r.tree.nodes.get('dev')?.cpu).toEqual({ shares: 4000, reservation: 0, limit: Number.POSITIVE_INFINITY, expandable: true });
    expect(r.tree.nodes.get('dev')?.memory.shares).toBe(163_840);
  });

  it('admits a parent before its child whatever the order given', () => {
    expect(causes([pool('web', { parent: 'prod', cpuRes: 1000 }), pool('prod', { cpuRes: 1000, cpuExpandable: false })])).toEqual([]);
  });

  it.each<{ name: string; pools: PoolDef[]; want: { pool: string; field: string; message?: RegExp } }>([
    { name: 'unknown parent', pools: [pool('a', { parent: 'nope' })], want: { pool: 'a', field: 'spec.parent', message: /unknown pool "nope"/ } },
    {
      name: 'parent in another zone',
      pools: [pool('a', { zone: 'z2' }), pool('b', { parent: 'a' })],
      want: { pool: 'b', field: 'spec.parent', message: /in zone "z2", not "z1"/ },
    },
    { name: 'unknown zone', pools: [pool('a', { zone: 'mars' })], want: { pool: 'a', field: 'spec.zone', message: /unknown zone "mars"/ } },
    { name: 'custom shares without a number', pools: [pool('a', { cpuShares: { level: 'custom' } })], want: { pool: 'a', field: 'spec.cpu.shares.shares', message: /required when level is "custom"/ } },
    {
      name: 'a number with a named level',
      pools: [pool('a', { memShares: { level: 'high', shares: 5 } })],
      want: { pool: 'a', field: 'spec.memory.shares.shares', message: /only allowed when level is "custom"/ },
    },
    { name: 'shares out of range', pools: [pool('a', { cpuShares: { level: 'custom', shares: 0 } })], want: { pool: 'a', field: 'spec.cpu.shares.shares' } },
    { name: 'unknown shares level', pools: [pool('a', { cpuShares: { level: 'urgent' } as never })], want: { pool: 'a', field: 'spec.cpu.shares.level', message: /unsupported value "urgent"/ } },
    { name: 'limit below reservation', pools: [pool('a', { cpuRes: 2000, cpuLimit: 1000 })], want: { pool: 'a', field: 'spec.cpu.limitMHz', message: /at least the reservation \(2000\), got 1000/ } },
    { name: 'negative reservation', pools: [pool('a', { memRes: -1 })], want: { pool: 'a', field: 'spec.memory.reservationMiB' } },
    { name: 'bad name', pools: [pool('Not_A_Label')], want: { pool: 'Not_A_Label', field: 'metadata.name', message: /not a DNS label/ } },
    { name: 'duplicate name', pools: [pool('a'), pool('a')], want: { pool: 'a', field: 'metadata.name', message: /duplicate pool name/ } },
    {
      name: 'reservations exceeding zone capacity',
      pools: [pool('a', { cpuRes: 6000 }), pool('b', { cpuRes: 5000 })],
      want: { pool: 'b', field: 'spec.cpu.reservationMHz', message: /5000 MHz does not fit in "zone:z1": 4000 MHz available \(zone "z1" has 10000 MHz/ },
    },
    {
      name: 'child reservation beyond a fixed parent',
      pools: [pool('p', { cpuRes: 3000, cpuExpandable: false }), pool('c1', { parent: 'p', cpuRes: 2000 }), pool('c2', { parent: 'p', cpuRes: 2000 })],
      want: { pool: 'c2', field: 'spec.cpu.reservationMHz', message: /2000 MHz does not fit in "p": 1000 MHz available \(pool "p" has no more unreserved cpu/ },
    },
    {
      name: 'expandable parent whose ancestors cannot cover',
      pools: [pool('top', { memRes: 4000, memExpandable: false }), pool('p', { parent: 'top', memRes: 1000 }), pool('c', { parent: 'p', memRes: 5000 })],
      want: { pool: 'c', field: 'spec.memory.reservationMiB', message: /5000 MiB does not fit in "p": 4000 MiB available/ },
    },
    {
      name: 'expandable parent held by its limit',
      pools: [pool('p', { cpuRes: 1000, cpuLimit: 2000 }), pool('c', { parent: 'p', cpuRes: 3000 })],
      want: { pool: 'c', field: 'spec.cpu.reservationMHz', message: /2000 MHz available \(pool "p" would have to reserve more than its cpu limit of 2000 MHz/ },
    },
  ])('reports $name', ({ pools, want }) => {
    const got = causes(pools);
    expect(got.length).toBeGreaterThan(0);
    const match = got.find((c) => c.pool === want.pool && c.field === want.field);
    expect(match, JSON.stringify(got)).toBeDefined();
    if (want.message) expect(match?.message).toMatch(want.message);
  });

  it('reports every member of a cycle', () => {
    const got = causes([pool('a', { parent: 'c' }), pool('b', { parent: 'a' }), pool('c', { parent: 'b' }), pool('self', { parent: 'self' })]);
    expect(got.map((c) => `${c.pool} ${c.field}`).sort()).toEqual(['a spec.parent', 'b spec.parent', 'c spec.parent', 'self spec.parent']);
    expect(got.find((c) => c.pool === 'a')?.message).toBe('forms a cycle: a -> c -> b -> a');
  });

  it('lets an expandable child borrow from its ancestors (vSphere semantics)', () => {
    // p reserves 3000 of its own, the child wants 5000: p borrows 2000 from the root.
    const r = validatePoolTree([pool('p', { cpuRes: 3000 }), pool('c', { parent: 'p', cpuRes: 5000 })], CAP);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(reservedOf(r.tree, 'p', 'cpu')).toBe(5000);
    expect(reservedOf(r.tree, rootPoolName(ZONE), 'cpu')).toBe(5000);
  });

  it('accepts custom shares and resolves them as given', () => {
    const r = validatePoolTree([pool('a', { cpuShares: { level: 'custom', shares: 1234 }, memShares: { level: 'low' } })], CAP);
    expect(r.ok && r.tree.nodes.get('a')?.cpu.shares).toBe(1234);
    expect(r.ok && r.tree.nodes.get('a')?.memory.shares).toBe(5 * 16 * 1024);
  });
});

describe('poolTreeError', () => {
  it('keeps field paths when all causes are about one pool', () => {
    const err = poolTreeError(causes([pool('a', { cpuRes: 2000, cpuLimit: 1000 })]));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.objectName).toBe('a');
    expect(err.causes.map((c) => c.field)).toEqual(['spec.cpu.limitMHz']);
    expect(err.code).toBe(422);
  });

  it('prefixes the pool when causes span pools', () => {
    const err = poolTreeError(causes([pool('a', { parent: 'x' }), pool('b', { parent: 'y' })]));
    expect(err.causes.map((c) => c.field)).toEqual(['a: spec.parent', 'b: spec.parent']);
  });
});
