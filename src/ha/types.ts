/**
 * vSphere HA vocabulary: a zone's hosts (capacity in the scheduler's units: vCPUs placeable under
 * overcommit, MiB) and VMs (size, power state, restart priority), and the admission-control
 * policies that keep room for failover.
 */
import type { HostRef, VmRef } from '../drs/index.js';

export interface HaHost extends HostRef {
  /** vCPUs placeable on the host (cores × the zone's CPU overcommit). */
  readonly vcpus: number;
  /** Memory placeable on the host, MiB. */
  readonly memoryMiB: number;
  /** False when the host is failed, isolated, in maintenance or otherwise not running VMs. Default true. */
  readonly up?: boolean;
}

/** vSphere's restart priorities, highest first; `disabled` VMs are not restarted. */
export const RESTART_PRIORITIES = ['highest', 'high', 'medium', 'low', 'lowest', 'disabled'] as const;
export type RestartPriority = (typeof RESTART_PRIORITIES)[number];

/** vSphere's default restart priority. */
export const DEFAULT_RESTART_PRIORITY: RestartPriority = 'medium';

export function isRestartPriority(value: unknown): value is RestartPriority {
  return typeof value === 'string' && (RESTART_PRIORITIES as readonly string[]).includes(value);
}

export interface HaVm extends VmRef {
  /** The host it runs on (or ran on, if that host failed); undefined when not placed. */
  readonly host?: string;
  readonly vcpus: number;
  readonly memoryMiB: number;
  /** Default true. Powered-off VMs use no capacity and are not restarted. */
  readonly poweredOn?: boolean;
  /** Default `medium`. */
  readonly restartPriority?: RestartPriority;
}

export interface HaZone {
  readonly hosts: readonly HaHost[];
  readonly vms: readonly HaVm[];
}

/**
 * Admission control (vSphere `ClusterDasAdmissionControlPolicy`, scheduling-perf.md §4.3):
 * - `percentage`: keep this share of the zone's capacity free for failover ("cluster resource
 *   percentage"); `percentageForFailures` derives it from "host failures to tolerate".
 * - `failoverHosts`: these hosts stay empty in normal operation and take restarted VMs first.
 * - `slots`: slot = the largest powered-on VM (optionally capped); keep enough slots to restart
 *   every VM after `failures` hosts with the most slots fail.
 * - `disabled`: no admission control.
 */
export type AdmissionPolicy =
  | { readonly type: 'percentage'; readonly cpuPercent: number; readonly memPercent: number }
  | { readonly type: 'failoverHosts'; readonly hosts: readonly string[] }
  | { readonly type: 'slots'; readonly failures: number; readonly maxSlotVcpus?: number; readonly maxSlotMemoryMiB?: number }
  | { readonly type: 'disabled' };

export const ADMISSION_POLICY_TYPES = ['percentage', 'failoverHosts', 'slots', 'disabled'] as const;
export type AdmissionPolicyType = AdmissionPolicy['type'];

/** vCPUs and MiB. */
export interface Resources {
  readonly vcpus: number;
  readonly memoryMiB: number;
}
