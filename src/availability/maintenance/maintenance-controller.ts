/**
 * Maintenance mode: a host with `spec.maintenance` (admitted only when the rest of its zone can
 * take its load under the HA policy) is evacuated by live migration. Destinations come from the
 * pure HA layer's `checkMaintenance` (placement rules, no failover hosts, most free room first);
 * each move is a VmMigration labelled with the host, which the migration controller carries out.
 * VMs still booting are moved once they run; a failed move is planned again after a pause.
 * The host's `Maintenance` condition says what is left (False) or that it is empty (True); its
 * state is `Maintenance` from the start (host controller), so nothing new is placed on it.
 * Powered-off VMs stay registered on the host (vSphere's default for maintenance mode).
 */
import { AlreadyExistsError, API_VERSION, getCondition, setCondition, type Condition, type Host, type VirtualMachine, type VmMigration, type Zone } from '../../api/index.js';
import type { Clock } from '../../clock/index.js';
import type { Informer, ReconcileResult, Reconciler } from '../../controllers/index.js';
import { checkMaintenance } from '../../ha/index.js';
import { vmKey, type FilterPlugin } from '../../scheduler/index.js';
import type { Store } from '../../store/index.js';
import type { ClusterView } from '../model/cluster-view.js';
import { admissionPolicy } from '../model/ha-config.js';
import { buildHaZone, poweredOn } from '../model/ha-zone.js';
import { MAINTENANCE_CONDITION, MAINTENANCE_HOST_LABEL, TENANT_LABEL, VM_LABEL } from '../model/names.js';
import type { LiveSnapshot } from '../model/live-snapshot.js';
import { SchedulerCheck } from '../model/scheduler-check.js';

/** Pause before a VM whose evacuation failed is planned again, ms. */
export const RETRY_AFTER_MS = 10_000;

export class MaintenanceController implements Reconciler {
  readonly name = 'maintenance';
  private serial = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly view: ClusterView,
    private readonly hosts: Informer<Host>,
    private readonly vms: Informer<VirtualMachine>,
    private readonly migrations: Informer<VmMigration>,
    private readonly live: LiveSnapshot,
    enqueue: (host: string) => void,
    /** Placement filters other capabilities add for recovery too (DRS must rules). */
    private readonly extraFilters: () => readonly FilterPlugin[] = () => [],
  ) {
    hosts.addHandlers({ onAdd: (h) => h.spec?.maintenance && enqueue(h.metadata.name), onUpdate: (o, h) => (h.spec?.maintenance || o.spec?.maintenance) && enqueue(h.metadata.name) });
    const onVm = (vm: VirtualMachine | undefined) => {
      const host = vm?.status?.host;
      if (host && this.hosts.get(host)?.spec?.maintenance) enqueue(host);
    };
    vms.addHandlers({ onAdd: onVm, onUpdate: (o, v) => (onVm(o), onVm(v)), onDelete: onVm });
    const onMigration = (m: VmMigration) => {
      const host = m.metadata.labels?.[MAINTENANCE_HOST_LABEL];
      if (host) enqueue(host);
    };
    migrations.addHandlers({ onAdd: onMigration, onUpdate: (_o, m) => onMigration(m) });
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const host = this.hosts.get(name);
    if (!host?.spec) return;
    if (host.spec.maintenance !== true) return this.exited(host);
    const running: VirtualMachine[] = [];
    let booting = 0;
    for (const vm of this.vms.list()) {
      if (vm.status?.host !== name || !poweredOn(vm)) continue;
      if (vm.status.phase === 'Running') running.push(vm);
      else booting++;
    }
    if (running.length === 0 && booting === 0) {
      await this.setCondition(host, 'True', 'InMaintenance', `no VM runs on ${name}: in maintenance mode`);
      return;
    }
    if (host.status?.state === 'Failed') {
      await this.setCondition(host, 'False', 'HostFailed', `${name} failed while entering maintenance mode; HA restarts its VMs (if on)`);
      return;
    }
    const now = this.clock.now();
    const active = new Set<string>();
    const cooling = new Set<string>();
    for (const m of this.migrations.list()) {
      if (m.metadata.labels?.[MAINTENANCE_HOST_LABEL] !== name || m.spec === undefined) continue;
      const phase = m.status?.phase ?? 'Pending';
      if (phase === 'Pending' || phase === 'Running') active.add(m.spec.vm);
      else if (phase === 'Failed' && now - Date.parse(m.status?.finishedAt ?? '') < RETRY_AFTER_MS) cooling.add(m.spec.vm);
    }
    const toMove = running.filter((v) => !active.has(v.metadata.name) && !cooling.has(v.metadata.name));
    const stuck = toMove.length === 0 ? [] : await this.evacuate(host, toMove);
    const left = running.length + booting;
    const parts = [`${left} VM${left === 1 ? '' : 's'} left on ${name}`];
    if (active.size) parts.push(`${active.size} migrating`);
    if (booting) parts.push(`${booting} booting (moved once running)`);
    if (cooling.size) parts.push(`${cooling.size} to retry after a failed migration`);
    if (stuck.length) parts.push(`cannot move: ${stuck.join('; ')}`);
    await this.setCondition(host, 'False', 'Evacuating', parts.join(', '));
    return cooling.size || stuck.length || booting ? { requeueAfter: RETRY_AFTER_MS } : undefined;
  }

  /** Plans destinations for `toMove` and creates their migrations; returns why the rest cannot move. */
  private async evacuate(host: Host, toMove: readonly VirtualMachine[]): Promise<string[]> {
    const zoneName = host.spec!.zone;
    const zone: Zone | undefined = this.view.zone(zoneName);
    const zoneHosts = this.view.hosts().filter((h) => h.spec?.zone === zoneName);
    const ha = buildHaZone(zone, zoneName, zoneHosts, this.view.vms());
    const check = new SchedulerCheck(this.live.snapshot, (k) => this.vms.get(k), this.extraFilters());
    // The host itself counts as up here so that its VMs are planned (checkMaintenance moves what runs on up hosts).
    const zoneForPlan = { ...ha, hosts: ha.hosts.map((h) => (h.name === host.metadata.name ? { ...h, up: true } : h)) };
    const leaving = ha.vms.filter((v) => v.host === host.metadata.name).map((v) => v.name);
    let verdict: ReturnType<typeof checkMaintenance>;
    try {
      verdict = checkMaintenance(zoneForPlan, host.metadata.name, admissionPolicy(zone, ha), { canPlace: check.canPlace });
    } finally {
      // Planning moved the host's VMs in the live snapshot; put them back where the cache has them.
      this.live.resync(leaving);
    }
    const to = new Map(verdict.evacuation.map((e) => [e.vm, e.to]));
    const stuck: string[] = [];
    for (const vm of toMove) {
      const dest = to.get(vmKey(vm));
      if (dest === undefined) {
        stuck.push(verdict.reasons.find((r) => r.includes(` ${vm.metadata.name} `)) ?? `${vm.metadata.name}: no host can take it`);
        continue;
      }
      await this.createMigration(host.metadata.name, vm, dest);
    }
    return stuck;
  }

  private async createMigration(host: string, vm: VirtualMachine, to: string): Promise<void> {
    const base = `${vm.metadata.name}-evac-${(this.clock.now() + this.serial++).toString(36)}`.slice(-63).replace(/^-+/, '');
    const m: VmMigration = {
      apiVersion: API_VERSION,
      kind: 'VmMigration',
      metadata: { name: base, labels: { [MAINTENANCE_HOST_LABEL]: host, [VM_LABEL]: vm.metadata.name, ...(vm.spec ? { [TENANT_LABEL]: vm.spec.tenant } : {}) } },
      spec: { vm: vm.metadata.name, toHost: to, reason: 'Maintenance' },
    };
    try {
      await this.store.create(m);
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
    }
  }

  /** Back in service: the Maintenance condition goes. */
  private async exited(host: Host): Promise<void> {
    const conditions = host.status?.conditions;
    if (!getCondition(conditions, MAINTENANCE_CONDITION)) return;
    await this.store.update({ ...host, status: { ...host.status, conditions: conditions!.filter((c) => c.type !== MAINTENANCE_CONDITION) } }, { subresource: 'status' });
  }

  private async setCondition(host: Host, status: Condition['status'], reason: string, message: string): Promise<void> {
    const prev = getCondition(host.status?.conditions, MAINTENANCE_CONDITION);
    if (prev?.status === status && prev.reason === reason && prev.message === message) return;
    const conditions = setCondition(host.status?.conditions, { type: MAINTENANCE_CONDITION, status, reason, message }, new Date(this.clock.now()).toISOString());
    await this.store.update({ ...host, status: { ...host.status, conditions } }, { subresource: 'status' });
  }
}
