/**
 * What each host failure cost and how long recovery took: the machines (VMs or bare-metal nodes)
 * and pods it took down, the tenants they belong to, when the failure was detected, when each
 * machine ran again (HA restart or reprovisioning) and when the last lost pod ran again.
 */
import type { Machine, PodState } from '../engine/world.js';

export interface FailureRecord {
  readonly host: string;
  readonly zone: string;
  /** Since the scenario start. */
  readonly atMs: number;
  /** Machines (VMs or bare-metal nodes) and pods that were running, and whose tenants. */
  readonly machinesLost: number;
  readonly podsLost: number;
  readonly tenantsAffected: readonly string[];
  /** When HA declared the host dead (VM design) or Kubernetes marked the node NotReady (bare metal). */
  detectedAtMs: number | undefined;
  /** Per machine that ran again: its downtime. */
  readonly machineDowntimesMs: number[];
  /** Time until the last lost machine ran again; undefined while some are still down. */
  machinesRecoveredMs: number | undefined;
  /** Time until the last lost pod ran again (anywhere); undefined while some are still down. */
  podsRecoveredMs: number | undefined;
}

interface Open {
  readonly record: FailureRecord;
  readonly machines: Set<Machine>;
  readonly pods: Set<PodState>;
}

export class RecoveryTracker {
  readonly failures: FailureRecord[] = [];
  private readonly machineOpen = new Map<Machine, Open>();
  private readonly podOpen = new Map<PodState, Open>();

  hostFailed(host: string, zone: string, atMs: number, machines: readonly Machine[], pods: readonly PodState[]): FailureRecord {
    const tenants = new Set<string>();
    for (const m of machines) tenants.add(m.tenant);
    const record: FailureRecord = {
      host,
      zone,
      atMs,
      machinesLost: machines.length,
      podsLost: pods.length,
      tenantsAffected: [...tenants].sort(),
      detectedAtMs: undefined,
      machineDowntimesMs: [],
      machinesRecoveredMs: machines.length === 0 ? 0 : undefined,
      podsRecoveredMs: pods.length === 0 ? 0 : undefined,
    };
    const open: Open = { record, machines: new Set(machines), pods: new Set(pods) };
    for (const m of machines) this.machineOpen.set(m, open);
    for (const p of pods) this.podOpen.set(p, open);
    this.failures.push(record);
    return record;
  }

  detected(record: FailureRecord, atMs: number): void {
    record.detectedAtMs ??= atMs;
  }

  machineRunning(m: Machine, atMs: number): void {
    const open = this.machineOpen.get(m);
    if (!open) return;
    this.machineOpen.delete(m);
    open.machines.delete(m);
    open.record.machineDowntimesMs.push(atMs - open.record.atMs);
    if (open.machines.size === 0) open.record.machinesRecoveredMs = atMs - open.record.atMs;
  }

  /** A lost machine that will not come back (a churn VM whose lifetime ended): stop waiting for it. */
  machineGone(m: Machine, atMs: number): void {
    const open = this.machineOpen.get(m);
    if (!open) return;
    this.machineOpen.delete(m);
    open.machines.delete(m);
    if (open.machines.size === 0) open.record.machinesRecoveredMs = atMs - open.record.atMs;
  }

  podRunning(pod: PodState, atMs: number): void {
    const open = this.podOpen.get(pod);
    if (!open) return;
    this.podOpen.delete(pod);
    open.pods.delete(pod);
    if (open.pods.size === 0) open.record.podsRecoveredMs = atMs - open.record.atMs;
  }

  /** A lost pod that was scaled away: stop waiting for it. */
  podGone(pod: PodState, atMs: number): void {
    if (this.podOpen.has(pod)) this.podRunning(pod, atMs);
  }
}
