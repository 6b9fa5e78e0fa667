import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../ipam/index.js';
import { pickBackend, rendezvous } from './algorithms.js';

const A = '10.0.1.2:8080';
const B = '10.0.1.3:8080';
const C = '10.0.1.10:8080';
const none = new Map<string, number>();

/** Picks `n` times with the given algorithm, feeding each pick back as the last one. */
function run(algorithm: 'ROUND_ROBIN' | 'LEAST_CONNECTION', backends: string[], n: number, connections = new Map<string, number>()): string[] {
  const out: string[] = [];
  let last: string | undefined;
  for (let i = 0; i < n; i++) {
    last = pickBackend(algorithm, backends, { connections, clientIp: '192.0.2.1', ...(last ? { lastPicked: last } : {}) });
    out.push(last);
  }
  return out;
}

const clients = Array.from({ length: 3000 }, (_, i) => formatIpv4(0xc6336400 + i * 7919));

describe('ROUND_ROBIN', () => {
  it('cycles through the backends in order', () => {
    expect(run('ROUND_ROBIN', [A, B, C], 6)).toEqual([A, B, C, A, B, C]);
  });

  it('skips a backend that is not eligible: A, C, A, C with B down', () => {
    expect(run('ROUND_ROBIN', [A, C], 4)).toEqual([A, C, A, C]);
  });

  it('continues after the last pick when it has left the pool (in address order, not text order)', () => {
    expect(pickBackend('ROUND_ROBIN', [A, C], { connections: none, clientIp: 'x', lastPicked: B })).toBe(C);
    expect(pickBackend('ROUND_ROBIN', [A, B], { connections: none, clientIp: 'x', lastPicked: C })).toBe(A);
  });
});

describe('LEAST_CONNECTION', () => {
  it('picks the backend with the fewest open connections, ties in turn', () => {
    const open = new Map([
      [A, 3],
      [B, 1],
      [C, 1],
    ]);
    expect(pickBackend('LEAST_CONNECTION', [A, B, C], { connections: open, clientIp: 'x', lastPicked: B })).toBe(C);
    expect(pickBackend('LEAST_CONNECTION', [A, B, C], { connections: open, clientIp: 'x', lastPicked: C })).toBe(B);
  });

  it('spreads evenly when connections are opened and never closed', () => {
    const open = new Map<string, number>();
    let last: string | undefined;
    for (let i = 0; i < 30; i++) {
      last = pickBackend('LEAST_CONNECTION', [A, B, C], { connections: open, clientIp: 'x', ...(last ? { lastPicked: last } : {}) });
      open.set(last, (open.get(last) ?? 0) + 1);
    }
    expect([...open.values()]).toEqual([10, 10, 10]);
  });
});

describe('IP_HASH (rendezvous)', () => {
  it('gives a client the same backend every time while membership is unchanged', () => {
    for (const c of clients.slice(0, 50)) expect(rendezvous([A, B, C], c)).toBe(rendezvous([A, B, C], c));
    expect(pickBackend('IP_HASH', [A, B, C], { connections: none, clientIp: '198.51.100.7' })).toBe(rendezvous([A, B, C], '198.51.100.7'));
  });

  it('spreads clients roughly evenly', () => {
    const count = new Map<string, number>();
    for (const c of clients) count.set(rendezvous([A, B, C], c), (count.get(rendezvous([A, B, C], c)) ?? 0) + 1);
    for (const n of count.values()) expect(Math.abs(n - 1000)).toBeLessThan(150);
  });

  it('moves only the clients of a backend that leaves, and only about 1/n to one that joins', () => {
    const before = new Map(clients.map((c) => [c, rendezvous([A, B, C], c)]));
    for (const c of clients) {
      const after = rendezvous([A, C], c);
      if (before.get(c) !== B) expect(after).toBe(before.get(c));
    }
    const D = '10.0.1.11:8080';
    const moved = clients.filter((c) => rendezvous([A, B, C, D], c) !== before.get(c));
    expect(moved.every((c) => rendezvous([A, B, C, D], c) === D)).toBe(true);
    expect(moved.length / clients.length).toBeGreaterThan(0.18);
    expect(moved.length / clients.length).toBeLessThan(0.32);
  });

  it('property: removing any backend never moves a client that was not on it', () => {
    const backend = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 65535 })).map(([ip, port]) => `${formatIpv4(ip)}:${port}`);
    fc.assert(
      fc.property(fc.uniqueArray(backend, { minLength: 2, maxLength: 12 }), fc.nat(), fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 40 }), (bs, drop, cs) => {
        const gone = bs[drop % bs.length] as string;
        const rest = bs.filter((b) => b !== gone);
        for (const c of cs.map(formatIpv4)) {
          const was = rendezvous(bs, c);
          if (was !== gone) expect(rendezvous(rest, c)).toBe(was);
        }
      }),
      { numRuns: 300 },
    );
  });
});
