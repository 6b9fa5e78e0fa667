/**
 * May a host enter maintenance mode? Its powered-on VMs must fit on the other hosts (dedicated
 * failover hosts excluded: they take no VMs in normal operation), and the zone without it must
 * still satisfy the admission-control policy — vSphere refuses maintenance mode otherwise.
 */
import { NotFoundError } from '../api/index.js';
import type { CanPlace, DrsRule } from '../drs/index.js';
import { poweredOnSizes } from './admission.js';
import { hostUse, isOn, isUp, sizeOf, sub, totals } from './capacity.js';
import { formatPercent, formatResources } from './format.js';
import { Placer } from './placer.js';
import { checkPolicy } from './policy.js';
import { slotFigures } from './slots.js';
import type { AdmissionPolicy, HaHost, HaVm, HaZone } from './types.js';

export interface MaintenanceOptions {
  readonly rules?: readonly DrsRule[];
  readonly canPlace?: CanPlace<HaVm, HaHost>;
}

export interface MaintenanceVerdict {
  readonly ok: boolean;
  readonly host: string;
  /** Where each powered-on VM would go. */
  readonly evacuation: readonly { readonly vm: string; readonly to: string }[];
  /** Why not (empty when ok). */
  readonly reasons: readonly string[];
  /** Allowed, but worth knowing. */
  readonly warnings: readonly string[];
}

export function checkMaintenance(zone: HaZone, host: string, policy: AdmissionPolicy, options: MaintenanceOptions = {}): MaintenanceVerdict {
  checkPolicy(policy, zone);
  const target = zone.hosts.find((h) => h.name === host);
  if (target === undefined) throw new NotFoundError('Host', host);
  const reasons: string[] = [];
  const warnings: string[] = [];
  if (!isUp(target)) return { ok: true, host, evacuation: [], reasons, warnings: [`${host} is not up: nothing to evacuate`] };

  const failover = policy.type === 'failoverHosts' ? new Set(policy.hosts) : new Set<string>();
  const placer = new Placer(zone, {
    unplace: (v) => v.host === host,
    targets: (h) => isUp(h) && h.name !== host && !failover.has(h.name),
    ...(options.rules !== undefined ? { rules: options.rules } : {}),
    ...(options.canPlace !== undefined ? { canPlace: options.canPlace } : {}),
  });
  const leaving = zone.vms
    .map((v, i) => [v, i] as const)
    .filter(([v]) => isOn(v) && v.host === host)
    .sort(([a], [b]) => b.vcpus - a.vcpus || b.memoryMiB - a.memoryMiB || (a.name < b.name ? -1 : 1));
  const evacuation: { vm: string; to: string }[] = [];
  for (const [v, i] of leaving) {
    const r = placer.place(i);
    if (r.ok) evacuation.push({ vm: v.name, to: r.host });
    else reasons.push(`no other host can take ${v.name} (${formatResources(sizeOf(v))}): ${r.reason}`);
  }

  const use = hostUse(zone);
  const rest = (h: HaHost) => isUp(h) && h.name !== host;
  switch (policy.type) {
    case 'percentage': {
      const { capacity } = totals(use, rest);
      const used = totals(use, isUp).used;
      const usable = { vcpus: (capacity.vcpus * (100 - policy.cpuPercent)) / 100, memoryMiB: (capacity.memoryMiB * (100 - policy.memPercent)) / 100 };
      const short = sub(usable, used);
      if (short.vcpus < -1e-9 || short.memoryMiB < -1e-9) {
        const share = policy.cpuPercent === policy.memPercent ? formatPercent(policy.cpuPercent) : `${formatPercent(policy.cpuPercent)} CPU / ${formatPercent(policy.memPercent)} memory`;
        reasons.push(
          `without ${host} the zone has ${formatResources(capacity)}; keeping ${share} for failover leaves ${formatResources(usable)}, ` +
            `but ${formatResources(used)} is in use`,
        );
      }
      break;
    }
    case 'slots': {
      const counted = [...use.values()].filter((u) => rest(u.host));
      const s = slotFigures(counted, poweredOnSizes(zone, use), policy);
      if (s.free < 0) {
        reasons.push(`without ${host} the zone has ${s.total} slots of ${formatResources(s.slot)}, ${s.reserved} kept for ${policy.failures} host failure(s), but ${s.used} in use`);
      }
      break;
    }
    case 'failoverHosts':
      if (failover.has(host)) {
        const left = policy.hosts.filter((h) => h !== host && zone.hosts.some((x) => x.name === h && isUp(x)));
        if (left.length === 0) reasons.push(`${host} is the last dedicated failover host that is up: the zone would have no failover capacity`);
        else warnings.push(`failover capacity drops to ${left.length} host(s): ${left.join(', ')}`);
      }
      break;
    case 'disabled':
      break;
  }
  return { ok: reasons.length === 0, host, evacuation, reasons, warnings };
}
