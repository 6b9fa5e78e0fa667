import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../api/index.js';
import { cidrContainsCidr, cidrLast, cidrsOverlap, parseCidr, parseIpv4 } from './cidr.js';
import { CidrOutOfRangeError, CidrOverlapError, PoolExhaustedError } from './errors.js';
import { EXCLUDED_OWNER, SubnetPool } from './subnet-pool.js';

describe('SubnetPool', () => {
  it('carves non-overlapping aligned /12 tenant blocks out of a /8 until it is exhausted', () => {
    const pool = new SubnetPool({ name: 'platform', cidr: '10.0.0.0/8' });
    const blocks = Array.from({ length: 16 }, (_, i) => pool.allocate(`tenant-${i}`, { prefix: 12 }));
    expect(blocks.slice(0, 3)).toEqual(['10.0.0.0/12', '10.16.0.0/12', '10.32.0.0/12']);
    expect(new Set(blocks).size).toBe(16);
    try {
      pool.allocate('tenant-16', { prefix: 12 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PoolExhaustedError);
      expect((e as PoolExhaustedError).message).toBe('pool "platform" (10.0.0.0/8) is exhausted: none of its 16 /12 subnets is free');
    }
  });

  it('never hands out an excluded block, and names it when requested explicitly', () => {
    const pool = new SubnetPool({ name: 'platform', cidr: '10.0.0.0/8', excluded: ['10.96.0.0/12', '10.96.0.0/16', '192.168.0.0/16'] });
    expect(pool.excluded.map((c) => c.prefix)).toEqual([12, 16]);
    const blocks = Array.from({ length: 15 }, (_, i) => pool.allocate(`t${i}`, { prefix: 12 }));
    expect(blocks).not.toContain('10.96.0.0/12');
    expect(() => pool.allocate('t15', { prefix: 12 })).toThrow(PoolExhaustedError);
    const fresh = new SubnetPool({ name: 'platform', cidr: '10.0.0.0/8', excluded: ['10.96.0.0/12'] });
    try {
      fresh.allocate('acme', { cidr: '10.100.0.0/16', field: 'spec.addressBlock' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CidrOverlapError);
      expect((e as CidrOverlapError).existingOwner).toBe(EXCLUDED_OWNER);
    }
  });

  it('refuses an explicit CIDR overlapping an allocation, naming both', () => {
    const pool = new SubnetPool({ name: 'tenant acme', cidr: '10.16.0.0/12' });
    pool.allocate('namespace prod/web', { cidr: '10.16.0.0/23' });
    try {
      pool.allocate('namespace prod/db', { cidr: '10.16.1.0/24', field: 'spec.cidr' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CidrOverlapError);
      const err = e as CidrOverlapError;
      expect([err.requested, err.existing, err.existingOwner, err.causes[0]?.field]).toEqual(['10.16.1.0/24', '10.16.0.0/23', 'namespace prod/web', 'spec.cidr']);
      expect(err.message).toContain('10.16.1.0/24 overlaps 10.16.0.0/23 held by namespace prod/web in pool "tenant acme"');
    }
    // A block containing the existing one overlaps too.
    expect(() => pool.allocate('namespace prod/db', { cidr: '10.16.0.0/22' })).toThrow(CidrOverlapError);
  });

  it('refuses a CIDR outside the pool or larger than it, and an invalid one naming the field', () => {
    const pool = new SubnetPool({ name: 'tenant acme', cidr: '10.16.0.0/12' });
    expect(() => pool.allocate('x', { cidr: '10.32.0.0/24' })).toThrow(CidrOutOfRangeError);
    expect(() => pool.allocate('x', { cidr: '10.0.0.0/8' })).toThrow(CidrOutOfRangeError);
    try {
      pool.allocate('x', { cidr: '10.16.0.1/24', field: 'spec.subnet' });
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).causes[0]?.field).toBe('spec.subnet');
    }
    expect(() => pool.allocate('x', { prefix: 8 })).toThrow(/want a prefix length from 12 to 32/);
  });

  it('mixes sizes without overlap and fills holes with smaller blocks', () => {
    const pool = new SubnetPool({ name: 't', cidr: '10.16.0.0/22' });
    expect(pool.allocate('a', { prefix: 24 })).toBe('10.16.0.0/24');
    expect(pool.allocate('b', { prefix: 26 })).toBe('10.16.1.0/26');
    expect(pool.allocate('c', { prefix: 24 })).toBe('10.16.2.0/24');
    pool.release('a');
    expect(pool.allocate('d', { prefix: 25 })).toBe('10.16.3.0/25');
    expect(pool.allocate('e', { prefix: 25 })).toBe('10.16.3.128/25');
    expect(pool.allocate('f', { prefix: 25 })).toBe('10.16.0.0/25');
    expect(pool.allocate('g', { prefix: 26 })).toBe('10.16.0.128/26');
    expect(() => pool.allocate('h', { prefix: 23 })).toThrow(PoolExhaustedError);
    expect(pool.allocate('i', { prefix: 26 })).toBe('10.16.0.192/26');
    expect(pool.allocate('j', { prefix: 26 })).toBe('10.16.1.64/26');
  });

  it('cycles forward: a released block is not handed out again while others are free', () => {
    const pool = new SubnetPool({ name: 't', cidr: '10.16.0.0/22' });
    pool.allocate('a', { prefix: 24 });
    pool.allocate('b', { prefix: 24 });
    pool.release('a');
    expect(pool.allocate('c', { prefix: 24 })).toBe('10.16.2.0/24');
    expect(pool.allocate('d', { prefix: 24 })).toBe('10.16.3.0/24');
    expect(pool.allocate('e', { prefix: 24 })).toBe('10.16.0.0/24');
  });

  it('is idempotent per owner and finds which block holds an address', () => {
    const pool = new SubnetPool({ name: 't', cidr: '10.16.0.0/16' });
    const a = pool.allocate('cluster prod', { prefix: 24 });
    expect(pool.allocate('cluster prod', { prefix: 26 })).toBe(a);
    expect(pool.allocate('cluster prod', { cidr: a })).toBe(a);
    expect(() => pool.allocate('cluster prod', { cidr: '10.16.9.0/24' })).toThrow(/already holds/);
    expect(pool.blockContaining(parseIpv4('10.16.0.77'))).toEqual({ owner: 'cluster prod', cidr: a });
    expect(pool.blockContaining(parseIpv4('10.16.5.1'))).toBeUndefined();
  });

  it('rebuilds from JSON state and carries on where it left off', () => {
    const pool = new SubnetPool({ name: 't', cidr: '10.16.0.0/16', excluded: ['10.16.3.0/24'] });
    for (const o of ['a', 'b', 'c']) pool.allocate(o, { prefix: 24 });
    pool.release('a');
    const copy = SubnetPool.fromState(JSON.parse(JSON.stringify(pool.toState())));
    expect(copy.toState()).toEqual(pool.toState());
    expect(copy.allocate('d', { prefix: 24 })).toBe(pool.allocate('d', { prefix: 24 }));
    expect(pool.subnetOf('d')).toBe('10.16.4.0/24');
  });

  it('property: live blocks never overlap, are aligned, inside the pool and clear of exclusions; exhaustion is real', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('alloc' as const), owner: fc.nat({ max: 20 }), prefix: fc.integer({ min: 25, max: 30 }) }),
      fc.record({ kind: fc.constant('release' as const), owner: fc.nat({ max: 20 }) }),
      fc.record({ kind: fc.constant('explicit' as const), owner: fc.nat({ max: 20 }), offset: fc.nat({ max: 255 }), prefix: fc.integer({ min: 25, max: 30 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120, size: 'max' }), (ops) => {
        const pool = new SubnetPool({ name: 't', cidr: '10.16.0.0/24', excluded: ['10.16.0.64/28'] });
        const parent = parseCidr('10.16.0.0/24');
        const excluded = parseCidr('10.16.0.64/28');
        for (const o of ops) {
          const owner = `o${o.owner}`;
          try {
            if (o.kind === 'release') pool.release(owner);
            else if (o.kind === 'alloc') pool.allocate(owner, { prefix: o.prefix });
            else {
              const size = 2 ** (32 - o.prefix);
              pool.allocate(owner, { cidr: `10.16.0.${Math.floor(o.offset / size) * size}/${o.prefix}` });
            }
          } catch (e) {
            if (e instanceof PoolExhaustedError && o.kind === 'alloc') {
              // No aligned block of that size is free anywhere.
              const size = 2 ** (32 - o.prefix);
              const live = pool.entries().map(([, c]) => parseCidr(c));
              for (let s = parent.network; s <= cidrLast(parent); s += size) {
                const cand = { network: s, prefix: o.prefix };
                expect(cidrsOverlap(cand, excluded) || live.some((l) => cidrsOverlap(l, cand))).toBe(true);
              }
            } else expect(e).toBeInstanceOf(ValidationError);
          }
          const live = pool.entries().map(([, c]) => parseCidr(c));
          for (const [i, a] of live.entries()) {
            expect(cidrContainsCidr(parent, a)).toBe(true);
            expect(cidrsOverlap(a, excluded)).toBe(false);
            expect(a.network % 2 ** (32 - a.prefix)).toBe(0);
            for (const b of live.slice(i + 1)) expect(cidrsOverlap(a, b)).toBe(false);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
