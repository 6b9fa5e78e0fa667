import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../api/index.js';
import { AddressPool } from './address-pool.js';
import { cidrContains, parseCidr, parseIpv4 } from './cidr.js';
import { AddressUnavailableError, PoolExhaustedError } from './errors.js';

const segment = (cidr = '10.16.1.0/29') => new AddressPool({ name: 'namespace prod/web', cidr, gateway: true });

describe('AddressPool', () => {
  it('never hands out the network, gateway (.1) or broadcast address', () => {
    const pool = segment();
    expect(pool.gateway).toBe('10.16.1.1');
    expect(pool.capacity).toBe(5);
    const got = ['a', 'b', 'c', 'd', 'e'].map((o) => pool.allocate(o));
    expect(got).toEqual(['10.16.1.2', '10.16.1.3', '10.16.1.4', '10.16.1.5', '10.16.1.6']);
    expect(pool.free).toBe(0);
  });

  it('throws a typed error naming the pool and its size when exhausted', () => {
    const pool = segment();
    for (const o of ['a', 'b', 'c', 'd', 'e']) pool.allocate(o);
    try {
      pool.allocate('f');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PoolExhaustedError);
      const err = e as PoolExhaustedError;
      expect([err.pool, err.poolCidr, err.size, err.code]).toEqual(['namespace prod/web', '10.16.1.0/29', 5, 409]);
      expect(err.message).toBe('pool "namespace prod/web" (10.16.1.0/29) is exhausted: none of its 5 addresses is free');
    }
  });

  it('cycles forward: a just-released address is not reused while others are free', () => {
    const pool = segment('10.16.1.0/24');
    pool.allocate('a');
    const b = pool.allocate('b');
    pool.allocate('c');
    expect(pool.release('b')).toBe(b);
    expect(pool.allocate('d')).toBe('10.16.1.5');
    expect(pool.allocate('b')).toBe('10.16.1.6');
  });

  it('wraps to released addresses once the end of the range is reached', () => {
    const pool = segment();
    for (const o of ['a', 'b', 'c', 'd', 'e']) pool.allocate(o);
    pool.release('b');
    pool.release('d');
    expect(pool.allocate('x')).toBe('10.16.1.3');
    expect(pool.allocate('y')).toBe('10.16.1.5');
  });

  it('is idempotent per owner, and release of an unknown owner is a no-op', () => {
    const pool = segment();
    expect(pool.allocate('a')).toBe(pool.allocate('a'));
    expect(pool.allocated).toBe(1);
    expect(pool.release('nobody')).toBeUndefined();
  });

  it('honours an explicit address when it is free', () => {
    const pool = segment();
    expect(pool.allocate('vm-1', { address: '10.16.1.5' })).toBe('10.16.1.5');
    expect(pool.addressOf('vm-1')).toBe('10.16.1.5');
    expect(pool.holderOf(parseIpv4('10.16.1.5'))).toBe('vm-1');
    expect(pool.allocate('vm-1', { address: '10.16.1.5' })).toBe('10.16.1.5');
  });

  it.each([
    ['10.16.1.5', 'allocated', /provided IP is already allocated \(to vm-1\)/],
    ['10.16.1.1', 'reserved', /reserved as the gateway address/],
    ['10.16.1.0', 'reserved', /reserved as the network address/],
    ['10.16.1.7', 'reserved', /reserved as the broadcast address/],
    ['10.16.2.5', 'out-of-range', /not in the valid range. The range of valid IPs is 10\.16\.1\.0\/29/],
  ] as const)('refuses %s (%s) with a typed error naming the field', (address, why, message) => {
    const pool = segment();
    pool.allocate('vm-1', { address: '10.16.1.5' });
    try {
      pool.allocate('vm-2', { address, field: 'spec.address' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AddressUnavailableError);
      expect((e as AddressUnavailableError).why).toBe(why);
      expect((e as AddressUnavailableError).causes[0]?.field).toBe('spec.address');
      expect((e as Error).message).toMatch(message);
    }
    expect(pool.allocated).toBe(1);
  });

  it('refuses a different explicit address for an owner that already holds one', () => {
    const pool = segment();
    pool.allocate('vm-1');
    expect(() => pool.allocate('vm-1', { address: '10.16.1.6' })).toThrow(/already holds 10\.16\.1\.2/);
  });

  it('uses every address of a /31 and /32 without a gateway, and refuses a gateway there', () => {
    const p31 = new AddressPool({ name: 'p2p', cidr: '192.0.2.0/31' });
    expect([p31.allocate('a'), p31.allocate('b')]).toEqual(['192.0.2.0', '192.0.2.1']);
    const p32 = new AddressPool({ name: 'host', cidr: '192.0.2.9/32' });
    expect(p32.allocate('a')).toBe('192.0.2.9');
    expect(() => p32.allocate('b')).toThrow(PoolExhaustedError);
    expect(() => new AddressPool({ name: 'x', cidr: '192.0.2.0/31', gateway: true })).toThrow(ValidationError);
  });

  it('rebuilds from JSON state and carries on where it left off', () => {
    const pool = segment('10.16.1.0/24');
    for (const o of ['a', 'b', 'c']) pool.allocate(o);
    pool.release('b');
    const copy = AddressPool.fromState(JSON.parse(JSON.stringify(pool.toState())));
    expect(copy.toState()).toEqual(pool.toState());
    expect(copy.allocate('d')).toBe(pool.allocate('d'));
  });

  it('refuses state in which two owners share an address', () => {
    const state = { ...segment().toState(), allocations: { a: '10.16.1.2', b: '10.16.1.2' } };
    expect(() => AddressPool.fromState(state)).toThrow(AddressUnavailableError);
  });

  it('property: no address is ever held twice, all are in the subnet and not reserved, counts agree', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('alloc' as const), owner: fc.nat({ max: 40 }) }),
      fc.record({ kind: fc.constant('release' as const), owner: fc.nat({ max: 40 }) }),
      fc.record({ kind: fc.constant('explicit' as const), owner: fc.nat({ max: 40 }), offset: fc.nat({ max: 70 }) }),
    );
    fc.assert(
      fc.property(fc.constantFrom('10.16.1.0/27', '10.16.1.0/26', '10.16.1.0/28'), fc.array(op, { maxLength: 150, size: 'max' }), (cidrText, ops) => {
        const pool = segment(cidrText);
        const c = parseCidr(cidrText);
        const live = new Map<string, number>();
        const size = 2 ** (32 - c.prefix);
        const reserved = new Set([0, 1, size - 1]);
        let cursor = 2; // next-fit model: where the next dynamic search starts
        for (const o of ops) {
          const owner = `pod-${o.owner}`;
          try {
            if (o.kind === 'release') {
              pool.release(owner);
              live.delete(owner);
            } else {
              const held = live.get(owner);
              const got = parseIpv4(o.kind === 'explicit' ? pool.allocate(owner, { address: `10.16.1.${o.offset}` }) : pool.allocate(owner));
              if (held !== undefined) expect(got).toBe(held);
              else if (o.kind === 'alloc') {
                // Cycle forward: the first free address at or after the one after the last dynamic pick.
                const taken = new Set([...live.values()].map((a) => a - c.network));
                const expected = [...Array(size).keys()].map((k) => (cursor + k) % size).find((k) => !reserved.has(k) && !taken.has(k));
                expect(got - c.network).toBe(expected);
                cursor = (got - c.network + 1) % size;
              }
              live.set(owner, got);
            }
          } catch (e) {
            if (e instanceof PoolExhaustedError) expect(live.size).toBe(pool.capacity);
            else expect(e).toBeInstanceOf(ValidationError);
          }
          const addresses = [...live.values()];
          expect(new Set(addresses).size).toBe(addresses.length);
          for (const a of addresses) {
            expect(cidrContains(c, a)).toBe(true);
            expect([c.network, c.network + 1, c.network + 2 ** (32 - c.prefix) - 1]).not.toContain(a);
          }
          expect(pool.allocated).toBe(live.size);
          expect(Object.fromEntries(pool.entries())).toEqual(Object.fromEntries([...live].map(([k, v]) => [k, `10.16.1.${v - c.network}`])));
        }
      }),
      { numRuns: 100 },
    );
  });
});
