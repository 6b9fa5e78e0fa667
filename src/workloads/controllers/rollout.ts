/**
 * The rolling-update arithmetic of the Deployment controller (Kubernetes' rolloutRolling), pure:
 * given the deployment's replicas, maxSurge, maxUnavailable and its ReplicaSets' sizes, what the
 * new ReplicaSet and each old one should be scaled to in this step.
 */

export interface RsView {
  readonly name: string;
  /** spec.replicas */
  readonly spec: number;
  /** status.replicas: pods that exist */
  readonly current: number;
  readonly available: number;
}

export interface RolloutPlan {
  readonly newReplicas: number;
  /** Old ReplicaSets to scale, by name. */
  readonly oldScale: ReadonlyMap<string, number>;
}

/** Pods that may exist for a ReplicaSet: what it wants or what it still has, whichever is more. */
function size(rs: RsView): number {
  return Math.max(rs.spec, rs.current);
}

/**
 * One step: scale the new ReplicaSet up within `replicas + maxSurge` pods in total, then scale old
 * ones down (unhealthy pods first) as far as `replicas - maxUnavailable` available pods allow.
 * `old` is ordered oldest first.
 */
export function planRollout(replicas: number, maxSurge: number, maxUnavailable: number, newRs: RsView, old: readonly RsView[]): RolloutPlan {
  const oldScale = new Map<string, number>();
  const all = size(newRs) + old.reduce((s, r) => s + size(r), 0);
  const maxTotal = replicas + maxSurge;
  let newReplicas = newRs.spec;
  if (newRs.spec < replicas) newReplicas = Math.min(replicas, newRs.spec + Math.max(0, maxTotal - all));
  else if (newRs.spec > replicas) newReplicas = replicas;

  const minAvailable = replicas - maxUnavailable;
  const newUnavailable = Math.max(0, newRs.spec - newRs.available);
  let maxScaledDown = all - minAvailable - newUnavailable;
  const specs = old.map((r) => r.spec);
  // First the old pods that are not available anyway: removing them costs no availability.
  old.forEach((r, i) => {
    if (maxScaledDown <= 0) return;
    const unhealthy = (specs[i] as number) - r.available;
    if (unhealthy <= 0) return;
    const d = Math.min(maxScaledDown, unhealthy);
    specs[i] = (specs[i] as number) - d;
    maxScaledDown -= d;
  });
  // Then available old pods, as far as the availability floor allows.
  const available = newRs.available + old.reduce((s, r) => s + r.available, 0);
  let canRemove = Math.min(available - minAvailable, all - minAvailable - newUnavailable);
  old.forEach((r, i) => {
    if (canRemove <= 0 || (specs[i] as number) === 0) return;
    const d = Math.min(specs[i] as number, canRemove, r.available);
    specs[i] = (specs[i] as number) - d;
    canRemove -= d;
  });
  old.forEach((r, i) => {
    if (specs[i] !== r.spec) oldScale.set(r.name, specs[i] as number);
  });
  return { newReplicas, oldScale };
}
