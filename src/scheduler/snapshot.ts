/**
 * ClusterSnapshot: the scheduler's in-memory picture of hosts, zones, tenants and placed VMs,
 * built once from the store and then kept current incrementally (`assume`/`forget` per VM,
 * `upsertHost`/`removeHost`/`upsertZone`/`upsertTenant` per change) so no decision rebuilds it.
 * Hosts are kept in a seeded shuffled candidate order; a host's `slot` is its position in it.
 */
import { ValidationError, type Host, type HostSpec, type Sensitivity, type Tenant, type VirtualMachine, type Zone } from '../api/index.js';
import { Random } from '../clock/index.js';
import { HostRecord, NUMA_CPU_USED, NUMA_MEMORY_USED, NUMA_STRIDE, zoneInfo, type HostInfo, type ZoneInfo } from './host-info.js';
import { fitNuma, maskOfIds, numaShares, type NumaShare } from './numa.js';
import { compileRequest, vmKey, type PlacementRequest } from './request.js';

/** A tenant's scheduling-relevant fields. */
export interface TenantInfo {
  readonly sensitivity: Sensitivity;
  /** Zones the tenant may use; undefined means any. */
  readonly zones: ReadonlySet<string> | undefined;
}

/** Where a VM sits in the snapshot and what it holds there. */
export interface PlacedVm {
  readonly key: string;
  readonly host: string;
  readonly tenant: string;
  readonly sensitivityIdx: number;
  readonly cpus: number;
  readonly memoryMiB: number;
  readonly numa: readonly NumaShare[];
  /** Spread group (VMs that should not share a host), if any. */
  readonly group?: string;
}

export interface SnapshotInput {
  readonly hosts: readonly Host[];
  readonly zones?: readonly Zone[];
  readonly tenants?: readonly Tenant[];
  /** VMs; those with `status.host` are accounted on that host. */
  readonly vms?: readonly VirtualMachine[];
  /** Seed of the candidate order. */
  readonly seed?: number;
}

export class ClusterSnapshot {
  private readonly order: HostRecord[] = [];
  private readonly byName = new Map<string, HostRecord>();
  private readonly zones = new Map<string, ZoneInfo>();
  private readonly tenants = new Map<string, TenantInfo>();
  private readonly placed = new Map<string, PlacedVm & { readonly record: HostRecord }>();
  private readonly rng: Random;

  constructor(seed = 1) {
    this.rng = new Random(seed);
  }

  /** Builds a snapshot from lists as read from the store. */
  static build(input: SnapshotInput): ClusterSnapshot {
    const snap = new ClusterSnapshot(input.seed ?? 1);
    for (const z of input.zones ?? []) snap.upsertZone(z);
    for (const t of input.tenants ?? []) snap.upsertTenant(t);
    for (const h of input.hosts) snap.upsertHost(h);
    for (const vm of input.vms ?? []) snap.observeVm(vm);
    return snap;
  }

  get hostCount(): number {
    return this.order.length;
  }

  /** The host in candidate-order position `slot`. */
  hostAt(slot: number): HostInfo {
    const h = this.order[slot];
    if (h === undefined) throw new RangeError(`no host at slot ${slot}`);
    return h;
  }

  host(name: string): HostInfo | undefined {
    return this.byName.get(name);
  }

  hosts(): readonly HostInfo[] {
    return this.order;
  }

  zone(name: string): ZoneInfo {
    return this.zones.get(name) ?? zoneInfo(name);
  }

  tenant(name: string): TenantInfo | undefined {
    return this.tenants.get(name);
  }

  placement(key: string): PlacedVm | undefined {
    return this.placed.get(key);
  }

  placements(): IterableIterator<PlacedVm> {
    return this.placed.values();
  }

  /** Compiles a VM into a request, taking the sensitivity from its tenant when unset. */
  compile(vm: VirtualMachine): PlacementRequest {
    return compileRequest(vm, vm.spec === undefined ? undefined : this.tenants.get(vm.spec.tenant)?.sensitivity);
  }

  upsertZone(zone: Zone): void {
    const info = zoneInfo(zone.metadata.name, zone);
    this.zones.set(info.name, info);
    for (const h of this.order) if (h.zone.name === info.name) h.applyZone(info);
  }

  upsertTenant(tenant: Tenant): void {
    const spec = required(tenant.spec, 'Tenant', tenant.metadata.name);
    const zones = spec.zones;
    this.tenants.set(tenant.metadata.name, {
      sensitivity: spec.sensitivity,
      zones: zones === undefined ? undefined : new Set(zones),
    });
  }

  removeTenant(name: string): void {
    this.tenants.delete(name);
  }

  /** Adds a host (at a seeded random position of the candidate order) or applies its changes. */
  upsertHost(host: Host): void {
    const name = host.metadata.name;
    const spec: HostSpec = required(host.spec, 'Host', name);
    const zone = this.zone(spec.zone);
    const existing = this.byName.get(name);
    if (existing !== undefined) {
      if (existing.applyHost(spec, host.status, zone)) this.reaccount(existing);
      return;
    }
    const rec = new HostRecord(name, this.order.length, zone);
    rec.applyHost(spec, host.status, zone);
    this.order.push(rec);
    this.byName.set(name, rec);
    this.swap(rec.slot, Math.floor(this.rng.next() * this.order.length));
  }

  /** Removes a host and forgets the VMs accounted on it. */
  removeHost(name: string): void {
    const rec = this.byName.get(name);
    if (rec === undefined) return;
    for (const key of [...rec.vms]) this.forget(key);
    const last = this.order.length - 1;
    this.swap(rec.slot, last);
    this.order.pop();
    this.byName.delete(name);
  }

  /** Accounts a VM from its status: placed if `status.host` is set, forgotten otherwise. */
  observeVm(vm: VirtualMachine): void {
    const host = vm.status?.host;
    if (host === undefined || host === '') this.forget(vmKey(vm));
    else this.assume(this.compile(vm), host, vm.status?.numaNodes);
  }

  /**
   * Accounts a placement (the scheduler's Reserve, or a VM seen in the store). Without usable
   * `numaNodes` the nodes are chosen by the fit logic. Returns false if the host is unknown.
   */
  assume(req: PlacementRequest, hostName: string, numaNodes?: readonly number[]): boolean {
    const rec = this.byName.get(hostName);
    if (rec === undefined) return false;
    this.forget(req.key);
    const numa = this.sharesFor(rec, req.cpus, req.memoryMiB, numaNodes);
    const placed = {
      key: req.key,
      host: hostName,
      tenant: req.tenant,
      sensitivityIdx: req.sensitivityIdx,
      cpus: req.cpus,
      memoryMiB: req.memoryMiB,
      numa,
      record: rec,
      ...(req.group !== undefined ? { group: req.group } : {}),
    };
    this.placed.set(req.key, placed);
    this.account(placed, 1);
    return true;
  }

  /** Drops a VM's accounting (deleted, moved, or a failed commit). Returns whether it was known. */
  forget(key: string): boolean {
    const placed = this.placed.get(key);
    if (placed === undefined) return false;
    this.account(placed, -1);
    this.placed.delete(key);
    return true;
  }

  private sharesFor(rec: HostRecord, cpus: number, memoryMiB: number, ids?: readonly number[]): NumaShare[] {
    let mask = ids === undefined ? 0 : maskOfIds(rec, ids);
    if (mask === 0) mask = fitNuma(rec, cpus, memoryMiB, 'pack');
    if (mask === 0) mask = (1 << rec.numaCount) - 1;
    return numaShares(rec, mask, cpus, memoryMiB);
  }

  private account(p: PlacedVm & { readonly record: HostRecord }, sign: 1 | -1): void {
    const h = p.record;
    h.allocatedVcpus += sign * p.cpus;
    h.allocatedMemoryMiB += sign * p.memoryMiB;
    h.vmCount += sign;
    accountNuma(h, p.numa, sign);
    h.sensitivityCounts[p.sensitivityIdx] = (h.sensitivityCounts[p.sensitivityIdx] ?? 0) + sign;
    const t = (h.tenantCounts.get(p.tenant) ?? 0) + sign;
    if (t > 0) h.tenantCounts.set(p.tenant, t);
    else h.tenantCounts.delete(p.tenant);
    if (p.group !== undefined) {
      const g = (h.groupCounts.get(p.group) ?? 0) + sign;
      if (g > 0) h.groupCounts.set(p.group, g);
      else h.groupCounts.delete(p.group);
    }
    if (sign > 0) h.vms.add(p.key);
    else h.vms.delete(p.key);
  }

  /** After a NUMA layout change (node allocations were reset), re-accounts the host's VMs on the new nodes. */
  private reaccount(rec: HostRecord): void {
    for (const key of rec.vms) {
      const p = this.placed.get(key);
      if (p === undefined) continue;
      const numa = this.sharesFor(rec, p.cpus, p.memoryMiB, p.numa.map((s) => s.id));
      this.placed.set(key, { ...p, numa });
      accountNuma(rec, numa, 1);
    }
  }

  private swap(a: number, b: number): void {
    const x = this.order[a];
    const y = this.order[b];
    if (x === undefined || y === undefined || a === b) return;
    this.order[a] = y;
    this.order[b] = x;
    y.slot = a;
    x.slot = b;
  }
}

function accountNuma(h: HostRecord, numa: readonly NumaShare[], sign: 1 | -1): void {
  for (const s of numa) {
    const o = s.index * NUMA_STRIDE;
    h.numa[o + NUMA_CPU_USED] = (h.numa[o + NUMA_CPU_USED] ?? 0) + sign * s.vcpus;
    h.numa[o + NUMA_MEMORY_USED] = (h.numa[o + NUMA_MEMORY_USED] ?? 0) + sign * s.memoryMiB;
  }
}

/** Objects reaching the snapshot were validated; a missing spec is a caller's bug. */
function required<T>(spec: T | undefined, kind: string, name: string): T {
  if (spec === undefined) throw new ValidationError([{ field: 'spec', message: 'required' }], { kind, name });
  return spec;
}
