/**
 * The pool algorithms: pick one backend among the eligible ones for a new connection. Pure and
 * deterministic; the caller keeps the little state they need (the last pick, connection counts).
 *
 * - ROUND_ROBIN: the next backend after the last pick in a fixed order, so a DOWN member is
 *   skipped (A, C, A, C with B down) and a membership change does not restart the cycle.
 * - LEAST_CONNECTION: fewest open connections; ties go round-robin from the last pick.
 * - IP_HASH: rendezvous (highest-random-weight) hashing of the client address: the same client
 *   gets the same backend while membership is unchanged, and when a backend leaves only the
 *   clients it had move (about 1/n of them); the rest keep theirs.
 */
import { compareBackendKeys } from './endpoints.js';
import type { LbAlgorithm } from './service.js';

/** What a pick needs besides the candidates. */
export interface PickContext {
  /** The backend key of the last pick for this Service port. */
  readonly lastPicked?: string;
  /** Open connections per backend key. */
  readonly connections: ReadonlyMap<string, number>;
  readonly clientIp: string;
}

/**
 * The backend for a new connection. `backends` are `ip:port` keys sorted by `compareBackendKeys`
 * (the endpoint order) and must not be empty.
 */
export function pickBackend(algorithm: LbAlgorithm, backends: readonly string[], ctx: PickContext): string {
  if (backends.length === 0) throw new RangeError('pickBackend needs at least one backend');
  switch (algorithm) {
    case 'ROUND_ROBIN':
      return rotation(backends, ctx.lastPicked)[0] as string;
    case 'LEAST_CONNECTION': {
      let best = '';
      let fewest = Infinity;
      for (const b of rotation(backends, ctx.lastPicked)) {
        const n = ctx.connections.get(b) ?? 0;
        if (n < fewest) [best, fewest] = [b, n];
      }
      return best;
    }
    case 'IP_HASH':
      return rendezvous(backends, ctx.clientIp);
  }
}

/** The backends starting right after `last` in list order (from the start when `last` is unknown). */
function rotation(backends: readonly string[], last: string | undefined): readonly string[] {
  if (last === undefined) return backends;
  let i = backends.indexOf(last);
  if (i < 0) {
    // The last pick left the pool: continue from where it stood in the order.
    const after = backends.findIndex((b) => compareBackendKeys(b, last) > 0);
    i = after < 0 ? backends.length - 1 : after - 1;
  }
  return [...backends.slice(i + 1), ...backends.slice(0, i + 1)];
}

/** The backend with the highest hash of (client, backend); ties to the earlier one. */
export function rendezvous(backends: readonly string[], client: string): string {
  let best = backends[0] as string;
  let top = -1;
  for (const b of backends) {
    const w = hash32(`${client}|${b}`);
    if (w > top) [best, top] = [b, w];
  }
  return best;
}

/** FNV-1a over UTF-16 code units, finished with MurmurHash3's fmix32 for avalanche. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
