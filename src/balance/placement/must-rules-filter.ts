/**
 * DRS "must" rules as a placement filter, so every placement honours them and not only DRS
 * passes: initial placement, HA restarts, live migrations and maintenance evacuations (it is
 * registered for recovery too). A VM may not go where a must anti-affinity partner already runs,
 * and a must VM-host rule pins it to (or keeps it off) its host group. Must affinity is not a
 * filter: the first VM of a group may go anywhere and DRS brings the rest together, as vSphere HA
 * may place a VM apart from its affinity group during failover and DRS corrects it afterwards.
 * `should` rules never filter.
 */
import type { DrsRuleObject } from '../../api/kinds/balance-kinds.js';
import type { ControllerContext } from '../../platform/extension.js';
import { SUCCESS, unresolvable, type CycleState, type FilterPlugin, type FilterStatus, type HostInfo, type PlacementRequest } from '../../scheduler/index.js';

export const ANTI_AFFINITY = unresolvable('DrsAntiAffinity');
export const VM_HOST_RULE = unresolvable('DrsVmHostRule');

interface Constraint {
  /** Partners that must not share the host. */
  readonly apart: readonly string[];
  /** Host groups the VM must run in (all of them: intersection). */
  readonly within: readonly ReadonlySet<string>[];
  /** Host groups the VM must stay out of. */
  readonly outside: readonly ReadonlySet<string>[];
}

type Index = ReadonlyMap<string, ReadonlyMap<string, Constraint>>;

/** Per zone, per VM name, what the zone's must rules demand of it. */
export function indexMustRules(rules: readonly DrsRuleObject[]): Index {
  const byZone = new Map<string, Map<string, { apart: string[]; within: Set<string>[]; outside: Set<string>[] }>>();
  const entry = (zone: string, vm: string) => {
    let z = byZone.get(zone);
    if (!z) byZone.set(zone, (z = new Map()));
    let e = z.get(vm);
    if (!e) z.set(vm, (e = { apart: [], within: [], outside: [] }));
    return e;
  };
  for (const r of rules) {
    const s = r.spec;
    if (!s || r.metadata.deletionTimestamp) continue;
    if (s.type === 'vmAntiAffinity' && (s.enforcement ?? 'must') === 'must') {
      for (const vm of s.vms) entry(s.zone, vm).apart.push(...s.vms.filter((o) => o !== vm));
    } else if (s.type === 'vmHost' && (s.mode === 'mustRunOn' || s.mode === 'mustNotRunOn')) {
      const group = new Set(s.hosts ?? []);
      for (const vm of s.vms) (s.mode === 'mustRunOn' ? entry(s.zone, vm).within : entry(s.zone, vm).outside).push(group);
    }
  }
  return byZone;
}

export class MustRulesFilter implements FilterPlugin {
  readonly name = 'DrsMustRules';
  private index: Index | undefined;

  /** `rules` lists the DrsRule objects; call `invalidate()` when they change. */
  constructor(private readonly rules: () => readonly DrsRuleObject[]) {}

  invalidate(): void {
    this.index = undefined;
  }

  filter(_state: CycleState, req: PlacementRequest, host: HostInfo): FilterStatus {
    this.index ??= indexMustRules(this.rules());
    const c = this.index.get(host.zone.name)?.get(req.key);
    if (c === undefined) return SUCCESS;
    for (const other of c.apart) if (host.vms.has(other)) return ANTI_AFFINITY;
    for (const g of c.within) if (!g.has(host.name)) return VM_HOST_RULE;
    for (const g of c.outside) if (g.has(host.name)) return VM_HOST_RULE;
    return SUCCESS;
  }
}

/** Adds the filter to placement and recovery, fed by the DrsRule informer. */
export function addMustRulesFilter(ctx: Pick<ControllerContext, 'informer' | 'addPlacementFilter'>): MustRulesFilter {
  const rules = ctx.informer<DrsRuleObject>('DrsRule');
  const filter = new MustRulesFilter(() => rules.list());
  rules.addHandlers({ onAdd: () => filter.invalidate(), onUpdate: () => filter.invalidate(), onDelete: () => filter.invalidate() });
  ctx.addPlacementFilter(filter, { recovery: true });
  return filter;
}
