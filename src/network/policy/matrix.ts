/**
 * The connectivity matrix: allowed/denied between every ordered pair of the given pods on one
 * port, and a formatter printing it as upstream's netpol truth tables do (rows = from, columns =
 * to, `.` allowed, `X` denied). Large sets read the engine's bulk reachability; small ones, or pods
 * the engine does not hold, ask `decide` pair by pair (both give the same verdicts).
 */
import type { PodEndpoint, Protocol } from '../types.js';
import type { PolicyEngine } from './engine.js';

/** Below this many pods, per-pair decisions are cheaper than the bulk computation over every held pod. */
const BULK_THRESHOLD = 64;

export interface ConnectivityMatrix {
  readonly port: number;
  readonly protocol: Protocol;
  /** Row/column names: `ns/pod`, or `cluster/ns/pod` when the pods span clusters. */
  readonly names: readonly string[];
  /** Whether pod `from` may open a connection to pod `to` (indexes into `names`). */
  allowed(from: number, to: number): boolean;
}

function names(pods: readonly PodEndpoint[]): string[] {
  const clusters = new Set(pods.map((p) => p.cluster));
  return pods.map((p) => (clusters.size > 1 ? `${p.cluster}/` : '') + `${p.namespace}/${p.name}`);
}

/** Computes the matrix for `pods` (in order) on `port`/`protocol`. */
export function matrix(engine: PolicyEngine, pods: readonly PodEndpoint[], port: number, protocol: Protocol): ConnectivityMatrix {
  const slots = pods.map((p) => engine.slotOf(p));
  const base = { port, protocol, names: names(pods) };
  if (pods.length >= BULK_THRESHOLD && slots.every((s) => s >= 0)) {
    const { rows, words } = engine.reachability(port, protocol);
    return {
      ...base,
      allowed: (i, j) => {
        const to = slots[j] as number;
        return ((rows[(slots[i] as number) * words + (to >>> 5)]! >>> (to & 31)) & 1) === 1;
      },
    };
  }
  const n = pods.length;
  const cells = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cells[i * n + j] = engine.decide(pods[i] as PodEndpoint, pods[j] as PodEndpoint, port, protocol).allowed ? 1 : 0;
  return { ...base, allowed: (i, j) => cells[i * n + j] === 1 };
}

/**
 * Prints the matrix exactly as kubernetes' test/e2e/network/netpol TruthTable.PrettyPrint does,
 * tab layout included, so expected tables can be pasted from upstream test logs.
 */
export function formatMatrix(m: ConnectivityMatrix, indent = ''): string {
  const lines = [indent + ['-\t', ...m.names].join('\t')];
  m.names.forEach((from, i) => {
    const line = [from, ...m.names.map((_, j) => `${m.allowed(i, j) ? '.' : 'X'}\t`)];
    lines.push(indent + line.join('\t'));
  });
  return lines.join('\n');
}

/** Counts of allowed and denied ordered pairs (loopback included). */
export function matrixSummary(m: ConnectivityMatrix): { readonly allowed: number; readonly denied: number } {
  let allowed = 0;
  const n = m.names.length;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (m.allowed(i, j)) allowed++;
  return { allowed, denied: n * n - allowed };
}
