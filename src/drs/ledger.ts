/**
 * PlacementLedger: who runs where, indexed for planners (VM and host indices, per-host VM sets)
 * and exposed to `CanPlace` callbacks as a `PlacementView` with a change journal. DRS and HA keep
 * their working state in one; everything else they track (loads, rule counts) follows its moves.
 */
import { ValidationError } from '../api/index.js';
import type { PlacementChange, PlacementView } from './placement-check.js';

/** Host index of a VM that is not placed. */
export const UNPLACED = -1;

export class PlacementLedger implements PlacementView {
  readonly vmIndex = new Map<string, number>();
  readonly hostIndex = new Map<string, number>();
  /** Host index per VM index, `UNPLACED` when not placed. */
  private readonly where: Int32Array;
  private readonly onHost: Set<number>[];
  private readonly journal: PlacementChange[] = [];

  /**
   * `vmHosts[i]` is VM i's host name (undefined when unplaced); every named host must be in
   * `hostNames`, and names must be unique.
   */
  constructor(
    readonly vmNames: readonly string[],
    readonly hostNames: readonly string[],
    vmHosts: readonly (string | undefined)[],
  ) {
    hostNames.forEach((h, i) => {
      if (this.hostIndex.has(h)) throw ValidationError.field(`hosts[${i}].name`, `duplicate host "${h}"`);
      this.hostIndex.set(h, i);
    });
    this.where = new Int32Array(vmNames.length).fill(UNPLACED);
    this.onHost = hostNames.map(() => new Set<number>());
    vmNames.forEach((v, i) => {
      if (this.vmIndex.has(v)) throw ValidationError.field(`vms[${i}].name`, `duplicate VM "${v}"`);
      this.vmIndex.set(v, i);
      const host = vmHosts[i];
      if (host === undefined) return;
      const h = this.hostIndex.get(host);
      if (h === undefined) throw ValidationError.field(`vms[${i}].host`, `VM "${v}" is on unknown host "${host}"`);
      this.where[i] = h;
      (this.onHost[h] as Set<number>).add(i);
    });
  }

  get changes(): readonly PlacementChange[] {
    return this.journal;
  }

  /** Host index of VM `vm`, or `UNPLACED`. */
  hostIdx(vm: number): number {
    return this.where[vm] ?? UNPLACED;
  }

  /** VM indices on host `h` (live set: copy before mutating the ledger while iterating). */
  vmsAt(h: number): ReadonlySet<number> {
    return this.onHost[h] as Set<number>;
  }

  /** Moves, places (`from` unplaced) or unplaces (`to` = `UNPLACED`) a VM and journals it. */
  move(vm: number, to: number): void {
    const from = this.hostIdx(vm);
    if (from === to) return;
    if (from !== UNPLACED) (this.onHost[from] as Set<number>).delete(vm);
    if (to !== UNPLACED) (this.onHost[to] as Set<number>).add(vm);
    this.where[vm] = to;
    this.journal.push({ vm: this.vmNames[vm] as string, from: this.nameOf(from), to: this.nameOf(to) });
  }

  hostOf(vm: string): string | undefined {
    const i = this.vmIndex.get(vm);
    return i === undefined ? undefined : this.nameOf(this.hostIdx(i));
  }

  vmsOn(host: string): readonly string[] {
    const h = this.hostIndex.get(host);
    if (h === undefined) return [];
    return [...(this.onHost[h] as Set<number>)].map((v) => this.vmNames[v] as string);
  }

  *placements(): Iterable<readonly [string, string | undefined]> {
    for (let i = 0; i < this.vmNames.length; i++) yield [this.vmNames[i] as string, this.nameOf(this.hostIdx(i))];
  }

  private nameOf(h: number): string | undefined {
    return h === UNPLACED ? undefined : this.hostNames[h];
  }
}
