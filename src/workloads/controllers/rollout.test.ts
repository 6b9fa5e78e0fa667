import { describe, expect, it } from 'vitest';
import { planRollout, type RsView } from './rollout.js';

const rs = (name: string, spec: number, available = spec, current = spec): RsView => ({ name, spec, current, available });

describe('rolling update arithmetic', () => {
  it('a fresh deployment gets all replicas at once', () => {
    expect(planRollout(5, 1, 1, rs('new', 0, 0), []).newReplicas).toBe(5);
  });
  it('surges the new ReplicaSet by maxSurge and removes maxUnavailable old pods', () => {
    const p = planRollout(4, 1, 1, rs('new', 0, 0), [rs('old', 4)]);
    expect(p.newReplicas).toBe(1);
    expect(p.oldScale.get('old')).toBe(3);
  });
  it('with maxUnavailable 0 waits for new pods to become available before scaling old down', () => {
    const p = planRollout(3, 1, 0, rs('new', 1, 0), [rs('old', 3)]);
    expect(p.newReplicas).toBe(1);
    expect(p.oldScale.size).toBe(0);
    const q = planRollout(3, 1, 0, rs('new', 1, 1), [rs('old', 3)]);
    expect(q.oldScale.get('old')).toBe(2);
  });
  it('counts pods that still exist while an old ReplicaSet shrinks', () => {
    const p = planRollout(3, 1, 0, rs('new', 1, 1), [rs('old', 2, 2, 3)]);
    expect(p.newReplicas).toBe(1);
  });
  it('removes unavailable old pods first', () => {
    // 2 of 4 old pods are unavailable; only 1 may go (floor 3 of 4 counts pods, as Kubernetes does).
    const p = planRollout(4, 0, 1, rs('new', 0, 0), [rs('old', 4, 2)]);
    expect(p.oldScale.get('old')).toBe(3);
  });
});
