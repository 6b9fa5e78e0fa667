/**
 * Reservation admission with vSphere's expandable-reservation semantics. A consumer (a VM at
 * power-on, or a child pool) asks a pool for an amount; the pool gives it from its own unreserved
 * reservation and, when that runs out and the pool is expandable, borrows the rest from its parent,
 * recursively up to the zone root (whose reservation is the zone's capacity), never growing a pool
 * past its limit. A refusal is a value with the numbers, not an exception: power-on admission is
 * an expected outcome.
 */
import { NotFoundError, ValidationError } from '../api/index.js';
import type { Capacity } from './capacity.js';
import { RESOURCE_KINDS, RESOURCE_UNITS, reservedOf, type PoolNode, type PoolTree, type ResourceKind } from './pool-tree.js';

/** Tolerance for float noise in sums of reservations. */
const EPSILON = 1e-6;

/** Why a reservation was refused, with the numbers an operator needs. */
export interface ReservationRefusal {
  readonly resource: ResourceKind;
  readonly unit: 'MHz' | 'MiB';
  /** The pool (or zone root) the reservation was asked of. */
  readonly pool: string;
  readonly requested: number;
  /** The most `pool` could admit right now. */
  readonly available: number;
  /** The node where it ran out: a non-expandable pool, the zone root, or a pool at its limit. */
  readonly exhaustedAt: string;
  readonly reason: 'Reservation' | 'Limit';
  readonly message: string;
}

/** The result of an admission: the updated tree, or the refusal and the tree unchanged. */
export type AdmissionOutcome = { readonly ok: true; readonly tree: PoolTree } | { readonly ok: false; readonly tree: PoolTree; readonly refusal: ReservationRefusal };

/** The working copy of a ledger: fresh entries, mutated in place, handed out as the new tree's. */
type Ledger = Map<string, { cpuMHz: number; memoryMiB: number }>;

function copyLedger(tree: PoolTree): Ledger {
  const out: Ledger = new Map();
  for (const [name, c] of tree.reserved) out.set(name, { cpuMHz: c.cpuMHz, memoryMiB: c.memoryMiB });
  return out;
}

function amountOf(c: Capacity, kind: ResourceKind): number {
  return kind === 'cpu' ? c.cpuMHz : c.memoryMiB;
}

function getReserved(ledger: Ledger, name: string, kind: ResourceKind): number {
  const c = ledger.get(name);
  return c === undefined ? 0 : amountOf(c, kind);
}

function setReserved(ledger: Ledger, name: string, kind: ResourceKind, value: number): void {
  let c = ledger.get(name);
  if (c === undefined) {
    c = { cpuMHz: 0, memoryMiB: 0 };
    ledger.set(name, c);
  }
  if (kind === 'cpu') c.cpuMHz = value;
  else c.memoryMiB = value;
}

function nodeOf(tree: PoolTree, name: string): PoolNode {
  const node = tree.nodes.get(name);
  if (node === undefined) throw new NotFoundError('ResourcePool', name);
  return node;
}

/** The most `pool` can admit of `kind` now: its unreserved amount plus what it may borrow upwards. */
export function availableReservation(tree: PoolTree, pool: string, kind: ResourceKind): number {
  return availableIn(tree, copyLedger(tree), pool, kind);
}

function availableIn(tree: PoolTree, ledger: Ledger, pool: string, kind: ResourceKind): number {
  const node = nodeOf(tree, pool);
  const a = node[kind];
  const r = getReserved(ledger, pool, kind);
  const own = Math.max(0, a.reservation - r);
  if (!a.expandable || node.parent === undefined) return own;
  return Math.max(own, Math.min(a.limit - r, own + availableIn(tree, ledger, node.parent, kind)));
}

function refusalMessage(kind: ResourceKind, pool: string, requested: number, available: number, at: PoolNode, reason: 'Reservation' | 'Limit'): string {
  const u = RESOURCE_UNITS[kind];
  const why =
    reason === 'Limit'
      ? `pool "${at.name}" would have to reserve more than its ${kind} limit of ${fmt(at[kind].limit)} ${u}`
      : at.isRoot
        ? `zone "${at.zone}" has ${fmt(at[kind].reservation)} ${u} in all and the rest is reserved`
        : `pool "${at.name}" has no more unreserved ${kind} and its reservation is not expandable`;
  return `${kind} reservation of ${fmt(requested)} ${u} does not fit in "${pool}": ${fmt(available)} ${u} available (${why})`;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/** Takes `amount` of `kind` from `pool` in `ledger` (mutating it), or returns why it cannot. */
function take(tree: PoolTree, ledger: Ledger, pool: string, amount: number, kind: ResourceKind): ReservationRefusal | undefined {
  if (amount === 0) {
    nodeOf(tree, pool); // an unknown pool is still an error
    return undefined;
  }
  const steps: [string, number][] = [];
  let cur = pool;
  let need = amount;
  for (;;) {
    const node = nodeOf(tree, cur);
    const a = node[kind];
    const r = getReserved(ledger, cur, kind);
    const own = Math.max(0, a.reservation - r);
    let reason: 'Reservation' | 'Limit' | undefined;
    if (need <= own + EPSILON) {
      steps.push([cur, r + need]);
      break;
    }
    if (!a.expandable || node.parent === undefined) reason = 'Reservation';
    else if (r + need > a.limit + EPSILON) reason = 'Limit';
    if (reason !== undefined) {
      const available = availableIn(tree, ledger, pool, kind);
      return Object.freeze({
        resource: kind,
        unit: RESOURCE_UNITS[kind],
        pool,
        requested: amount,
        available,
        exhaustedAt: cur,
        reason,
        message: refusalMessage(kind, pool, amount, available, node, reason),
      });
    }
    // Expandable: this pool's effective reservation grows by what it lacks, borrowed from above.
    steps.push([cur, r + need]);
    need -= own;
    cur = node.parent as string;
  }
  for (const [name, value] of steps) setReserved(ledger, name, kind, value);
  return undefined;
}

function checkAmount(extra: Capacity, field: string): void {
  for (const kind of RESOURCE_KINDS) {
    const v = amountOf(extra, kind);
    if (!(Number.isFinite(v) && v >= 0)) throw ValidationError.field(`${field}.${kind === 'cpu' ? 'cpuMHz' : 'memoryMiB'}`, `must be a non-negative number, got ${v}`);
  }
}

/**
 * Admits a reservation of `extra` (CPU MHz and memory MiB) in `pool` (a pool name or a zone root
 * name): both resources fit, or nothing is taken. Use at VM power-on with the VM's reservations.
 */
export function admitReservation(tree: PoolTree, pool: string, extra: Capacity): AdmissionOutcome {
  checkAmount(extra, 'extra');
  const ledger = copyLedger(tree);
  for (const kind of RESOURCE_KINDS) {
    const refusal = take(tree, ledger, pool, amountOf(extra, kind), kind);
    if (refusal !== undefined) return { ok: false, tree, refusal };
  }
  return { ok: true, tree: { nodes: tree.nodes, reserved: ledger } };
}

/** Admits `amount` of one resource in `pool`; how child pools' reservations are checked too. */
export function admitAmount(tree: PoolTree, pool: string, kind: ResourceKind, amount: number): AdmissionOutcome {
  if (!(Number.isFinite(amount) && amount >= 0)) throw ValidationError.field('amount', `must be a non-negative number, got ${amount}`);
  const ledger = copyLedger(tree);
  const refusal = take(tree, ledger, pool, amount, kind);
  if (refusal !== undefined) return { ok: false, tree, refusal };
  return { ok: true, tree: { nodes: tree.nodes, reserved: ledger } };
}

/** One reservation to admit in a batch. */
export interface ReservationRequest extends Capacity {
  readonly pool: string;
}

/**
 * Admits many reservations in order with one copy of the ledger (a controller rebuilding the
 * ledger from the running VMs); each refused one is reported by its index and leaves no trace.
 */
export function admitReservations(
  tree: PoolTree,
  requests: readonly ReservationRequest[],
): { readonly tree: PoolTree; readonly refused: readonly { readonly index: number; readonly refusal: ReservationRefusal }[] } {
  const ledger = copyLedger(tree);
  const refused: { index: number; refusal: ReservationRefusal }[] = [];
  requests.forEach((req, index) => {
    checkAmount(req, `requests[${index}]`);
    const cpu = take(tree, ledger, req.pool, req.cpuMHz, 'cpu');
    if (cpu !== undefined) {
      refused.push({ index, refusal: cpu });
      return;
    }
    const memory = take(tree, ledger, req.pool, req.memoryMiB, 'memory');
    if (memory !== undefined) {
      releaseIn(tree, ledger, req.pool, req.cpuMHz, 'cpu');
      refused.push({ index, refusal: memory });
    }
  });
  return { tree: { nodes: tree.nodes, reserved: ledger }, refused };
}

function releaseIn(tree: PoolTree, ledger: Ledger, pool: string, amount: number, kind: ResourceKind): void {
  let cur: string | undefined = pool;
  let give = amount;
  while (cur !== undefined && give > 0) {
    const node = nodeOf(tree, cur);
    const a = node[kind];
    const r = getReserved(ledger, cur, kind);
    const next = Math.max(0, r - give);
    setReserved(ledger, cur, kind, next);
    const borrows = a.expandable && node.parent !== undefined;
    // Only what this pool had borrowed beyond its own reservation goes back up.
    give = borrows ? Math.max(0, r - a.reservation) - Math.max(0, next - a.reservation) : 0;
    cur = node.parent;
  }
}

/** Gives back a reservation taken by `admitReservation` (VM power-off), returning borrowed amounts upwards. */
export function releaseReservation(tree: PoolTree, pool: string, amount: Capacity): PoolTree {
  checkAmount(amount, 'amount');
  const ledger = copyLedger(tree);
  for (const kind of RESOURCE_KINDS) releaseIn(tree, ledger, pool, amountOf(amount, kind), kind);
  return { nodes: tree.nodes, reserved: ledger };
}

/** What a node has left unreserved of its own reservation (0 when it is borrowing). */
export function unreservedOf(tree: PoolTree, pool: string, kind: ResourceKind): number {
  return Math.max(0, nodeOf(tree, pool)[kind].reservation - reservedOf(tree, pool, kind));
}
