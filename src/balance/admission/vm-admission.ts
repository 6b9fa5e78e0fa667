/**
 * The balance capability's part of VirtualMachine admission: the demand-profile annotation parses,
 * the resource settings are coherent (custom shares have a value, limit >= reservation), a named
 * pool exists, belongs to the VM's tenant (or to none) and pins the VM to its zone (stamped into
 * `spec.zone` when absent), and a powered-on VM's reservation fits in its pool (vSphere's power-on
 * admission, with expandable reservations). A VM with no pool and no zone is admitted when its
 * reservation fits in the root of some zone its tenant may use.
 */
import { ValidationError, type FieldCause, type Host, type Tenant, type VirtualMachine } from '../../api/index.js';
import type { ResourcePoolObject } from '../../api/kinds/balance-kinds.js';
import { DEFAULT_CORE_MHZ, admitReservation, sharesProblem, type ReservationRefusal } from '../../resources/index.js';
import type { Store } from '../../store/index.js';
import { VM_DEMAND_ANNOTATION } from '../model/labels.js';
import { poolRefusal } from '../model/pool-assignment.js';
import { parseOwnProfile } from '../model/vm-demand.js';
import { holdsReservation, reservationNode, reservationOf, reservationView } from './reservation-ledger.js';

const KIND = 'VirtualMachine';

function settingsCauses(vm: VirtualMachine): FieldCause[] {
  const causes: FieldCause[] = [];
  const raw = vm.metadata.annotations?.[VM_DEMAND_ANNOTATION];
  if (raw !== undefined) {
    const p = parseOwnProfile(raw);
    if (!p.ok) causes.push({ field: p.field, message: p.message.replace(`${p.field}: `, '') });
  }
  const r = vm.spec?.resources;
  for (const [kind, unit] of [
    ['cpu', 'MHz'],
    ['memory', 'MiB'],
  ] as const) {
    const a = r?.[kind];
    if (a === undefined) continue;
    const problem = a.shares === undefined ? undefined : sharesProblem(a.shares);
    if (problem !== undefined) causes.push({ field: `spec.resources.${kind}.shares.shares`, message: problem });
    const res = kind === 'cpu' ? r?.cpu?.reservationMHz : r?.memory?.reservationMiB;
    const lim = kind === 'cpu' ? r?.cpu?.limitMHz : r?.memory?.limitMiB;
    if (res !== undefined && lim !== undefined && lim < res) causes.push({ field: `spec.resources.${kind}.limit${unit}`, message: `must be at least the reservation (${res}), got ${lim}` });
  }
  if (r?.cpu?.reservationMHz !== undefined && vm.spec !== undefined && r.cpu.reservationMHz > vm.spec.cpus * DEFAULT_CORE_MHZ)
    causes.push({
      field: 'spec.resources.cpu.reservationMHz',
      message: `must be at most what its ${vm.spec.cpus} vCPU(s) can use (${vm.spec.cpus * DEFAULT_CORE_MHZ} MHz at ${DEFAULT_CORE_MHZ} MHz per core), got ${r.cpu.reservationMHz}`,
    });
  if (r?.memory?.reservationMiB !== undefined && vm.spec !== undefined && r.memory.reservationMiB > vm.spec.memoryMiB)
    causes.push({ field: 'spec.resources.memory.reservationMiB', message: `must be at most the VM's memory (${vm.spec.memoryMiB} MiB), got ${r.memory.reservationMiB}` });
  return causes;
}

function refusalCause(r: ReservationRefusal, zone?: string): FieldCause {
  return { field: `spec.resources.${r.resource}.reservation${r.unit}`, message: `${zone !== undefined ? `zone "${zone}": ` : ''}${r.message}` };
}

/** Runs after the platform's own VM admission; returns the VM, with `spec.zone` stamped from its pool. */
export async function admitVmResources(ctx: { readonly store: Store }, vm: VirtualMachine, old: VirtualMachine | undefined): Promise<VirtualMachine> {
  const spec = vm.spec;
  if (spec === undefined) return vm;
  const name = vm.metadata.name;
  const fail = (causes: FieldCause[]): never => {
    throw new ValidationError(causes, { kind: KIND, name });
  };
  const own = settingsCauses(vm);
  if (own.length > 0) fail(own);
  const changed =
    old === undefined ||
    JSON.stringify(old.spec?.resources) !== JSON.stringify(spec.resources) ||
    (old.spec?.powerState === 'Off' && spec.powerState !== 'Off');
  const named = spec.resources?.pool;
  if (!changed || (named === undefined && !holdsReservation(vm))) return vm;

  const { store } = ctx;
  let out = vm;
  let zone = spec.zone ?? old?.status?.zone;
  if (named !== undefined) {
    const pool = await store.tryGet<ResourcePoolObject>('ResourcePool', '', named);
    const refusal = poolRefusal(pool, named, zone, spec.tenant);
    if (refusal !== undefined) fail([{ field: 'spec.resources.pool', message: zone !== undefined && pool?.spec?.zone !== zone ? `${refusal} (the VM's zone)` : refusal }]);
    const poolZone = pool?.spec?.zone as string;
    const tenant = await store.tryGet<Tenant>('Tenant', '', spec.tenant);
    const zones = tenant?.spec?.zones;
    if (zones !== undefined && !zones.includes(poolZone)) fail([{ field: 'spec.resources.pool', message: `pool "${named}" is in zone "${poolZone}", which tenant "${spec.tenant}" may not use` }]);
    if (zone === undefined) {
      zone = poolZone;
      out = { ...vm, spec: { ...spec, zone } };
    }
  }
  if (!holdsReservation(out)) return out;
  const [pools, hosts, vms] = await Promise.all([store.list<ResourcePoolObject>('ResourcePool'), store.list<Host>('Host'), store.list<VirtualMachine>('VirtualMachine')]);
  const view = reservationView(
    pools.items,
    hosts.items,
    vms.items.filter((v) => v.metadata.name !== name),
  );
  const request = reservationOf(out);
  if (zone !== undefined) {
    const result = admitReservation(view.tree, reservationNode(view.index, view.tree, out, zone), request);
    if (!result.ok) fail([refusalCause(result.refusal)]);
    return out;
  }
  const tenant = await store.tryGet<Tenant>('Tenant', '', spec.tenant);
  const candidates = [...new Set(hosts.items.map((h) => h.spec?.zone).filter((z): z is string => z !== undefined))].filter(
    (z) => tenant?.spec?.zones === undefined || tenant.spec.zones.includes(z),
  );
  const refusals: FieldCause[] = [];
  for (const z of candidates) {
    const result = admitReservation(view.tree, reservationNode(view.index, view.tree, out, z), request);
    if (result.ok) return out;
    refusals.push(refusalCause(result.refusal, z));
  }
  return fail(refusals.length > 0 ? refusals : [{ field: 'spec.resources', message: `no zone tenant "${spec.tenant}" may use has hosts` }]);
}
