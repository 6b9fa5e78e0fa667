/**
 * The pod scheduler's named rejection reasons, worded as kube-scheduler words them so that an
 * unschedulable pod's message reads as Kubernetes users expect:
 * "0/12 nodes are available: 8 Insufficient memory, 4 Too many pods."
 */
import { unresolvable, unschedulable, type FilterStatus } from '../status.js';

export const POD_REASONS = {
  otherCluster: "node(s) didn't belong to the pod's cluster",
  otherTenant: "node(s) belonged to another tenant",
  controlPlane: 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane}',
  notReady: 'node(s) were not ready',
  unschedulable: 'node(s) were unschedulable',
  insufficientCpu: 'Insufficient cpu',
  insufficientMemory: 'Insufficient memory',
  tooManyPods: 'Too many pods',
  selector: "node(s) didn't match Pod's node affinity/selector",
} as const;

export const OTHER_CLUSTER = unresolvable(POD_REASONS.otherCluster);
export const OTHER_TENANT = unresolvable(POD_REASONS.otherTenant);
export const CONTROL_PLANE = unresolvable(POD_REASONS.controlPlane);
export const NOT_READY = unresolvable(POD_REASONS.notReady);
export const CORDONED = unresolvable(POD_REASONS.unschedulable);
export const INSUFFICIENT_CPU = unschedulable(POD_REASONS.insufficientCpu);
export const INSUFFICIENT_MEMORY = unschedulable(POD_REASONS.insufficientMemory);
export const TOO_MANY_PODS = unschedulable(POD_REASONS.tooManyPods);
export const SELECTOR_MISMATCH = unresolvable(POD_REASONS.selector);

const taintStatuses = new Map<string, FilterStatus>();

/** `node(s) had untolerated taint {key: value}`, cached per taint. */
export function untoleratedTaint(key: string, value: string): FilterStatus {
  const id = `${key}\u0000${value}`;
  let s = taintStatuses.get(id);
  if (!s) {
    s = unresolvable(`node(s) had untolerated taint {${key}${value ? `: ${value}` : ''}}`);
    taintStatuses.set(id, s);
  }
  return s;
}
