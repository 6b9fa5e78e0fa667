/**
 * Min-max-shares division (ESX's allocation rule, Waldspurger 2002; DRS's "divvy", Gulati et al.
 * 2012): `total` is divided among consumers so that each gets
 *
 *     x_i = clamp(w_i * lambda, floor_i, cap_i)      with  sum x_i = min(total, sum cap_i)
 *
 * i.e. reservations (floors) are guaranteed first, the rest goes by weight (shares), and a
 * consumer that reaches its cap (limit or demand) stops growing while the others take the surplus:
 * water-filling. Solved exactly by sweeping the 2n breakpoints floor_i/w_i and cap_i/w_i in order
 * (O(n log n)), not by iterating.
 */

/** Weight used for a consumer given none (zero shares, zero entitlement): it fills last. */
const MIN_WEIGHT = 1e-12;

// Scratch for the breakpoints, grown on demand and reused: the divvy calls this once per pool and
// per host, and fresh typed arrays each time would keep the garbage collector busy.
let scratchAt = new Float64Array(64);
let scratchDelta = new Float64Array(64);
let scratchOrder = new Uint32Array(64);

function ensureScratch(size: number): void {
  if (scratchAt.length >= size) return;
  const next = Math.max(size, scratchAt.length * 2);
  scratchAt = new Float64Array(next);
  scratchDelta = new Float64Array(next);
  scratchOrder = new Uint32Array(next);
}

const byBreakpoint = (a: number, b: number): number => (scratchAt[a] as number) - (scratchAt[b] as number) || (scratchDelta[b] as number) - (scratchDelta[a] as number);

/**
 * Divides `total` among consumers with the given floors, caps and positive weights (floor <= cap).
 * When even the floors do not fit (capacity lost), each gets its floor scaled down in proportion.
 * Writes one amount per consumer, in the order given, into `out` (a new array when omitted) and
 * returns it.
 */
export function waterFill(total: number, floors: ArrayLike<number>, caps: ArrayLike<number>, weights: ArrayLike<number>, out: Float64Array = new Float64Array(floors.length)): Float64Array {
  const n = floors.length;
  let sumFloor = 0;
  let sumCap = 0;
  for (let i = 0; i < n; i++) {
    sumFloor += floors[i] as number;
    sumCap += caps[i] as number;
  }
  if (total >= sumCap) {
    for (let i = 0; i < n; i++) out[i] = caps[i] as number;
    return out;
  }
  if (total <= sumFloor) {
    const scale = sumFloor > 0 ? Math.max(0, total) / sumFloor : 0;
    for (let i = 0; i < n; i++) out[i] = (floors[i] as number) * scale;
    return out;
  }
  // Breakpoints: consumer i starts growing at floor_i / w_i and stops at cap_i / w_i.
  const events = 2 * n;
  ensureScratch(events);
  const at = scratchAt;
  const delta = scratchDelta;
  for (let i = 0; i < n; i++) {
    const w = Math.max(weights[i] as number, MIN_WEIGHT);
    at[2 * i] = (floors[i] as number) / w;
    delta[2 * i] = w;
    at[2 * i + 1] = (caps[i] as number) / w;
    delta[2 * i + 1] = -w;
  }
  const order = scratchOrder.subarray(0, events);
  for (let k = 0; k < events; k++) order[k] = k;
  order.sort(byBreakpoint);
  let level = sumFloor;
  // The slope is a running sum of weights entering and leaving; Neumaier compensation keeps it
  // exact enough when a large weight leaves a tiny one behind (10 + 1e-12 - 10).
  let slope = 0;
  let comp = 0;
  let prev = 0;
  let lambda = 0;
  for (let k = 0; k < events; k++) {
    const e = order[k] as number;
    const x = at[e] as number;
    const rate = slope + comp;
    const next = level + rate * (x - prev);
    if (next >= total) {
      lambda = rate > 0 ? prev + (total - level) / rate : prev;
      break;
    }
    level = next;
    prev = x;
    const d = delta[e] as number;
    const t = slope + d;
    comp += Math.abs(slope) >= Math.abs(d) ? slope - t + d : d - t + slope;
    slope = t;
    lambda = x;
  }
  for (let i = 0; i < n; i++) {
    const share = Math.max(weights[i] as number, MIN_WEIGHT) * lambda;
    const f = floors[i] as number;
    const c = caps[i] as number;
    out[i] = share < f ? f : share > c ? c : share;
  }
  return out;
}
