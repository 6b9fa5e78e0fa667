/**
 * Keeps each Host's status true: its state from the driver's heartbeats and failure events
 * (Ready, NotReady after missed heartbeats, Failed after a crash, Maintenance while
 * `spec.maintenance` is set on a healthy host) and its allocation (vCPUs,
 * memory, per NUMA node, VM count) summed from the VMs placed on it. Level-triggered: the
 * reconcile recomputes everything from the caches and writes only when something changed.
 */
import { getCondition, setCondition, type Host, type HostState, type HostStatus, type NumaAllocation, type VirtualMachine } from '../../api/index.js';
import type { Clock } from '../../clock/index.js';
import type { Driver, InfraEvent } from '../../infra/index.js';
import type { Store } from '../../store/index.js';
import type { Informer, Reconciler } from '../framework/index.js';

/** VM phases whose resources stay allocated on their host. */
export const ALLOCATING_PHASES = new Set(['Provisioning', 'Running', 'Stopped', 'Lost', 'Deleting']);

export interface HostControllerOptions {
  /** A host is NotReady after this long without a heartbeat (3 heartbeat intervals by default). */
  readonly heartbeatGraceMs: number;
}

export class HostController implements Reconciler {
  readonly name = 'hosts';
  private readonly lastSeen = new Map<string, number>();
  private readonly failed = new Map<string, string>();
  /** VMs per host, maintained from the VM informer. */
  private readonly vmsByHost = new Map<string, Set<string>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Clock of the driver's event times; heartbeat deadlines are measured on it. */
    private readonly infraClock: Clock,
    private readonly hosts: Informer<Host>,
    private readonly vms: Informer<VirtualMachine>,
    private readonly enqueue: (host: string) => void,
    private readonly opts: HostControllerOptions,
  ) {
    // A host is Ready only once a heartbeat has been seen from it; maintenance mode is spec.
    hosts.addHandlers({
      onAdd: (h) => enqueue(h.metadata.name),
      onUpdate: (old, h) => {
        if (old.spec?.maintenance !== h.spec?.maintenance) enqueue(h.metadata.name);
      },
    });
    vms.addHandlers({
      onAdd: (vm) => this.track(undefined, vm),
      onUpdate: (old, vm) => this.track(old, vm),
      onDelete: (vm) => this.track(vm, undefined),
    });
  }

  private track(old: VirtualMachine | undefined, vm: VirtualMachine | undefined): void {
    const before = old?.status?.host;
    const after = vm?.status?.host;
    const name = (vm ?? old)?.metadata.name ?? '';
    if (before && before !== after) this.vmsByHost.get(before)?.delete(name);
    if (after && vm) {
      let s = this.vmsByHost.get(after);
      if (!s) this.vmsByHost.set(after, (s = new Set()));
      s.add(name);
    }
    if (before) this.enqueue(before);
    if (after && (after !== before || old?.status?.phase !== vm?.status?.phase || !old)) this.enqueue(after);
  }

  /** Feeds driver events in. */
  onInfraEvent(e: InfraEvent): void {
    switch (e.type) {
      case 'Heartbeats':
        for (const h of e.hosts) {
          this.lastSeen.set(h, e.time);
          const cached = this.hosts.get(h);
          const state = cached?.status?.state;
          if (cached && state !== 'Ready' && state !== 'Maintenance' && !this.failed.has(h)) this.enqueue(h);
        }
        return;
      case 'HostFailed':
        this.failed.set(e.host, e.reason);
        this.enqueue(e.host);
        return;
      case 'HostRecovered':
        this.failed.delete(e.host);
        this.lastSeen.set(e.host, e.time);
        this.enqueue(e.host);
        return;
      default:
        return;
    }
  }

  /** Periodic check for silent hosts. */
  checkSilence(): void {
    const now = this.infraClock.now();
    for (const h of this.hosts.list()) {
      const seen = this.lastSeen.get(h.metadata.name) ?? 0;
      const state = h.status?.state;
      if ((state === 'Ready' || state === 'Maintenance') && now - seen > this.opts.heartbeatGraceMs) this.enqueue(h.metadata.name);
    }
  }

  /** State and Ready condition: a healthy host in maintenance mode is `Maintenance` (and Ready=True). */
  private desiredState(host: Host): { state: HostState; ready: 'True' | 'False' | 'Unknown'; reason: string; message: string } {
    const name = host.metadata.name;
    const failure = this.failed.get(name);
    if (failure !== undefined) return { state: 'Failed', ready: 'False', reason: 'HostFailed', message: `host failed: ${failure}` };
    const seen = this.lastSeen.get(name);
    const silent = seen === undefined ? Infinity : this.infraClock.now() - seen;
    if (silent > this.opts.heartbeatGraceMs)
      return { state: 'NotReady', ready: 'Unknown', reason: 'HeartbeatMissed', message: seen === undefined ? 'no heartbeat received yet' : `no heartbeat for ${Math.round(silent / 1000)} s` };
    const state = host.spec?.maintenance === true ? 'Maintenance' : 'Ready';
    return { state, ready: 'True', reason: 'HeartbeatReceived', message: 'host is sending heartbeats' };
  }

  async reconcile(name: string): Promise<void> {
    const host = this.hosts.get(name);
    if (!host?.spec) return;
    const { state, ready: readyStatus, reason, message } = this.desiredState(host);
    let vcpus = 0;
    let mem = 0;
    let count = 0;
    const numa = new Map<number, { vcpus: number; memoryMiB: number }>(host.spec.numaNodes.map((n) => [n.id, { vcpus: 0, memoryMiB: 0 }]));
    for (const vmName of this.vmsByHost.get(name) ?? []) {
      const vm = this.vms.get(vmName);
      if (!vm?.spec || vm.status?.host !== name || !ALLOCATING_PHASES.has(vm.status?.phase ?? '')) continue;
      count++;
      vcpus += vm.spec.cpus;
      mem += vm.spec.memoryMiB;
      const nodes = vm.status.numaNodes ?? [];
      nodes.forEach((id, i) => {
        const slot = numa.get(id);
        if (!slot) return;
        // Split evenly over the nodes the VM spans; the first nodes take the remainder.
        slot.vcpus += Math.floor(vm.spec!.cpus / nodes.length) + (i < vm.spec!.cpus % nodes.length ? 1 : 0);
        slot.memoryMiB += Math.floor(vm.spec!.memoryMiB / nodes.length) + (i < vm.spec!.memoryMiB % nodes.length ? 1 : 0);
      });
    }
    const numaAlloc: NumaAllocation[] = [...numa].map(([id, a]) => ({ id, vcpus: a.vcpus, memoryMiB: a.memoryMiB }));
    const nowIso = new Date(this.clock.now()).toISOString();
    const prev = host.status ?? {};
    const prevReady = getCondition(prev.conditions, 'Ready');
    const changed =
      prev.state !== state ||
      prev.allocatedVcpus !== vcpus ||
      prev.allocatedMemoryMiB !== mem ||
      prev.vms !== count ||
      JSON.stringify(prev.numa) !== JSON.stringify(numaAlloc) ||
      prevReady?.status !== readyStatus ||
      prevReady?.reason !== reason;
    if (!changed) return;
    const status: HostStatus = {
      ...prev,
      state,
      ...(readyStatus === 'True' ? { lastHeartbeat: nowIso } : {}),
      allocatedVcpus: vcpus,
      allocatedMemoryMiB: mem,
      numa: numaAlloc,
      vms: count,
      conditions: setCondition(prev.conditions, { type: 'Ready', status: readyStatus, reason, message }, nowIso),
    };
    await this.store.update({ ...host, status }, { subresource: 'status' });
  }
}

/** Subscribes a HostController to a driver. */
export function wireHostEvents(driver: Driver, ctl: HostController, onEvent?: (e: InfraEvent) => void): () => void {
  return driver.subscribe((e) => {
    ctl.onInfraEvent(e);
    onEvent?.(e);
  });
}
