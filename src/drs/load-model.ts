/**
 * LoadModel: per-host normalized entitlement in typed arrays with running sums Σx and Σx² per
 * resource, so the imbalance after any candidate move is computed in O(1) — what lets a greedy
 * pass weigh thousands of candidates at 1,000 hosts.
 */
import type { ImbalanceFigures } from './types.js';

export class LoadModel {
  readonly cpu: Float64Array;
  readonly mem: Float64Array;
  private s1c = 0;
  private s2c = 0;
  private s1m = 0;
  private s2m = 0;
  private n = 0;

  /**
   * `capCpu`/`capMem` per host index; `counted[h]` 1 when the host is part of the imbalance (not
   * in maintenance).
   */
  constructor(
    readonly capCpu: Float64Array,
    readonly capMem: Float64Array,
    readonly counted: Uint8Array,
    readonly wCpu: number,
    readonly wMem: number,
  ) {
    this.cpu = new Float64Array(capCpu.length);
    this.mem = new Float64Array(capCpu.length);
  }

  /** Adds raw entitlement (MHz, MiB) to a host; call `resum()` after the initial loading. */
  add(h: number, cpuMHz: number, memMiB: number): void {
    this.cpu[h] = (this.cpu[h] as number) + cpuMHz / (this.capCpu[h] as number);
    this.mem[h] = (this.mem[h] as number) + memMiB / (this.capMem[h] as number);
  }

  /** Recomputes the running sums from the loads (also clears accumulated rounding). */
  resum(): void {
    this.s1c = this.s2c = this.s1m = this.s2m = 0;
    this.n = 0;
    for (let h = 0; h < this.cpu.length; h++) {
      if (this.counted[h] !== 1) continue;
      const c = this.cpu[h] as number;
      const m = this.mem[h] as number;
      this.s1c += c;
      this.s2c += c * c;
      this.s1m += m;
      this.s2m += m * m;
      this.n++;
    }
  }

  get hostCount(): number {
    return this.n;
  }

  /** Weighted combined load of a host. */
  combined(h: number): number {
    return this.wCpu * (this.cpu[h] as number) + this.wMem * (this.mem[h] as number);
  }

  /** Mean combined load of the counted hosts. */
  meanCombined(): number {
    return this.n === 0 ? 0 : (this.wCpu * this.s1c + this.wMem * this.s1m) / this.n;
  }

  imbalance(): number {
    return this.wCpu * sd(this.s1c, this.s2c, this.n) + this.wMem * sd(this.s1m, this.s2m, this.n);
  }

  /** Imbalance figures computed two-pass from the loads (exact where the running sums round). */
  figures(): ImbalanceFigures {
    const cpu = this.exactSd(this.cpu);
    const memory = this.exactSd(this.mem);
    return { imbalance: this.wCpu * cpu + this.wMem * memory, cpu, memory };
  }

  private exactSd(loads: Float64Array): number {
    if (this.n === 0) return 0;
    let sum = 0;
    for (let h = 0; h < loads.length; h++) if (this.counted[h] === 1) sum += loads[h] as number;
    const mean = sum / this.n;
    let sq = 0;
    for (let h = 0; h < loads.length; h++) if (this.counted[h] === 1) sq += ((loads[h] as number) - mean) ** 2;
    return Math.sqrt(sq / this.n);
  }

  /** Sums with a pending removal from one host (see `prepareFrom` / `imbalanceTo`). */
  private p1c = 0;
  private p2c = 0;
  private p1m = 0;
  private p2m = 0;
  private pFrom = -1;

  /**
   * Starts evaluating moves of `cpuMHz`/`memMiB` away from host `from`: the source's share of the
   * sums is computed once, then `imbalanceTo(d)` adds each destination's. For the hot loop.
   */
  prepareFrom(cpuMHz: number, memMiB: number, from: number): void {
    this.p1c = this.s1c;
    this.p2c = this.s2c;
    this.p1m = this.s1m;
    this.p2m = this.s2m;
    this.pFrom = from;
    if (this.counted[from] !== 1) return;
    const c = this.cpu[from] as number;
    const m = this.mem[from] as number;
    const c2 = c - cpuMHz / (this.capCpu[from] as number);
    const m2 = m - memMiB / (this.capMem[from] as number);
    this.p1c += c2 - c;
    this.p2c += c2 * c2 - c * c;
    this.p1m += m2 - m;
    this.p2m += m2 * m2 - m * m;
  }

  /** Imbalance if the prepared entitlement moved to host `to` (≠ the prepared source). */
  imbalanceTo(cpuMHz: number, memMiB: number, to: number): number {
    if (this.counted[to] !== 1 || to === this.pFrom) return this.wCpu * sd(this.p1c, this.p2c, this.n) + this.wMem * sd(this.p1m, this.p2m, this.n);
    const c = this.cpu[to] as number;
    const m = this.mem[to] as number;
    const c2 = c + cpuMHz / (this.capCpu[to] as number);
    const m2 = m + memMiB / (this.capMem[to] as number);
    return (
      this.wCpu * sd(this.p1c + c2 - c, this.p2c + c2 * c2 - c * c, this.n) + this.wMem * sd(this.p1m + m2 - m, this.p2m + m2 * m2 - m * m, this.n)
    );
  }

  /** Moves entitlement between hosts, keeping the sums current. */
  move(cpuMHz: number, memMiB: number, from: number, to: number): void {
    this.shift(from, -cpuMHz, -memMiB);
    this.shift(to, cpuMHz, memMiB);
  }

  private shift(h: number, cpuMHz: number, memMiB: number): void {
    const c = this.cpu[h] as number;
    const m = this.mem[h] as number;
    const c2 = c + cpuMHz / (this.capCpu[h] as number);
    const m2 = m + memMiB / (this.capMem[h] as number);
    this.cpu[h] = c2;
    this.mem[h] = m2;
    if (this.counted[h] !== 1) return;
    this.s1c += c2 - c;
    this.s2c += c2 * c2 - c * c;
    this.s1m += m2 - m;
    this.s2m += m2 * m2 - m * m;
  }
}

function sd(s1: number, s2: number, n: number): number {
  if (n === 0) return 0;
  const mean = s1 / n;
  return Math.sqrt(Math.max(0, s2 / n - mean * mean));
}
