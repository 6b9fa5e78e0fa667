/**
 * Placer: puts VMs that lost their host (failed, or entering maintenance) onto the remaining
 * hosts, one at a time. Candidates: preferred hosts (dedicated failover hosts) first, then the
 * most free share of capacity (worst fit, so restarted load spreads). A host must have room,
 * break no must rule, and pass the placement callback; a host that breaks no should rule either
 * is preferred, but should rules give way when nothing else fits (vSphere HA does the same).
 */
import { allowAll, PlacementLedger, reposition, RuleBook, type CanPlace, type DrsRule } from '../drs/index.js';
import { add, fits, hostUse, isOn, sizeOf, sub, type HostUse } from './capacity.js';
import type { HaHost, HaVm, HaZone } from './types.js';

export interface PlacerOptions {
  /** VMs to take off their host before placing (their host is lost). */
  readonly unplace: (vm: HaVm) => boolean;
  /** Hosts that may receive VMs. */
  readonly targets: (host: HaHost) => boolean;
  /** Hosts tried before all others (dedicated failover hosts). */
  readonly preferred?: ReadonlySet<string>;
  readonly rules?: readonly DrsRule[];
  readonly canPlace?: CanPlace<HaVm, HaHost>;
}

export type PlaceResult =
  | { readonly ok: true; readonly host: string; readonly preferred: boolean; readonly brokeShouldRule: boolean }
  | { readonly ok: false; readonly reason: string };

export class Placer {
  private readonly ledger: PlacementLedger;
  private readonly rules: RuleBook;
  private readonly use: HostUse[];
  private readonly order: number[];
  private readonly preferred: Uint8Array;
  private readonly canPlace: CanPlace<HaVm, HaHost>;
  /** Hosts that may receive VMs. */
  readonly targetCount: number;

  constructor(
    private readonly zone: HaZone,
    opts: PlacerOptions,
  ) {
    const byName = hostUse(zone);
    this.use = zone.hosts.map((h) => byName.get(h.name) as HostUse);
    this.ledger = new PlacementLedger(
      zone.vms.map((v) => v.name),
      zone.hosts.map((h) => h.name),
      zone.vms.map((v) => (isOn(v) && v.host !== undefined && byName.has(v.host) && !opts.unplace(v) ? v.host : undefined)),
    );
    // VMs leaving their host no longer use it.
    for (const v of zone.vms) {
      if (!isOn(v) || v.host === undefined || !opts.unplace(v)) continue;
      const u = byName.get(v.host);
      if (u !== undefined) u.used = sub(u.used, sizeOf(v));
    }
    this.rules = new RuleBook(opts.rules ?? [], this.ledger);
    this.canPlace = opts.canPlace ?? allowAll;
    this.preferred = Uint8Array.from(zone.hosts, (h) => (opts.preferred?.has(h.name) === true ? 1 : 0));
    this.order = zone.hosts.map((_, i) => i).filter((i) => opts.targets(zone.hosts[i] as HaHost));
    this.order.sort(this.cmp);
    this.targetCount = this.order.length;
  }

  /** Preferred first, then the largest free share, then name order. */
  private readonly cmp = (a: number, b: number): number =>
    (this.preferred[b] as number) - (this.preferred[a] as number) || this.freeShare(b) - this.freeShare(a) || a - b;

  private freeShare(h: number): number {
    const u = this.use[h] as HostUse;
    return Math.min(1 - u.used.vcpus / u.capacity.vcpus, 1 - u.used.memoryMiB / u.capacity.memoryMiB);
  }

  /** Places one VM (by index in `zone.vms`) and commits it, or says why no host takes it. */
  place(vmIdx: number): PlaceResult {
    const vm = this.zone.vms[vmIdx] as HaVm;
    const need = sizeOf(vm);
    const refusals = new Map<string, number>();
    const refuse = (r: string) => refusals.set(r, (refusals.get(r) ?? 0) + 1);
    let fallback = -1;
    let chosen = -1;
    const ruled = this.rules.rulesOf(vmIdx).length > 0;
    for (const h of this.order) {
      const u = this.use[h] as HostUse;
      if (!fits(need, sub(u.capacity, u.used))) {
        refuse('not enough free capacity');
        continue;
      }
      let mustBreak: string | undefined;
      let shouldBreak = false;
      for (const d of ruled ? this.rules.evaluate([vmIdx], h) : []) {
        if (d.after <= d.before) continue;
        const r = this.rules.rules[d.rule];
        if (r?.must === true) mustBreak = `would break must rule "${r.rule.name}"`;
        else shouldBreak = true;
      }
      if (mustBreak !== undefined) {
        refuse(mustBreak);
        continue;
      }
      if (shouldBreak && fallback >= 0) continue;
      const verdict = this.canPlace(vm, u.host, this.ledger);
      if (!verdict.ok) {
        refuse(verdict.reason);
        continue;
      }
      if (!shouldBreak) {
        chosen = h;
        break;
      }
      fallback = h;
    }
    const brokeShouldRule = chosen < 0 && fallback >= 0;
    if (chosen < 0) chosen = fallback;
    if (chosen < 0) return { ok: false, reason: summarize(refusals, this.order.length) };
    const u = this.use[chosen] as HostUse;
    const from = this.ledger.hostIdx(vmIdx);
    this.ledger.move(vmIdx, chosen);
    this.rules.moved(vmIdx, from, chosen);
    u.used = add(u.used, need);
    reposition(this.order, chosen, this.cmp);
    return { ok: true, host: u.host.name, preferred: this.preferred[chosen] === 1, brokeShouldRule };
  }
}

function summarize(refusals: ReadonlyMap<string, number>, targets: number): string {
  if (targets === 0) return 'no host can take VMs';
  return [...refusals]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([r, n]) => `${n} host${n === 1 ? '' : 's'}: ${r}`)
    .join('; ');
}
