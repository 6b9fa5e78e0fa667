/**
 * A pass's recommendations as DrsRecommendation objects: what moves where in spec, the figures
 * (imbalance before and after, gain, cost-benefit, the pre-copy cost) and the pass in status.
 * Names are derived from the move and the pass time, so one pass never names two moves alike.
 */
import { createHash } from 'node:crypto';
import { API_VERSION } from '../../api/index.js';
import type { DrsPassInfo, DrsRecommendationObject, DrsRecommendationPhase } from '../../api/kinds/balance-kinds.js';
import type { Recommendation } from '../../drs/index.js';
import { ZONE_LABEL } from '../model/labels.js';

/** `drs-<12 hex>` from the zone, the move and the pass time. */
export function recommendationName(zone: string, rec: Pick<Recommendation, 'vm' | 'from' | 'to'>, passAt: string): string {
  const h = createHash('sha256').update(`${zone}\u0000${rec.vm}\u0000${rec.from}\u0000${rec.to}\u0000${passAt}`).digest('hex');
  return `drs-${h.slice(0, 12)}`;
}

/** Rounds a figure for storage (imbalances are small numbers; 6 significant digits are plenty). */
const sig = (v: number): number => (Number.isFinite(v) ? Number(v.toPrecision(6)) : v);

/** The object for one recommendation of a pass. */
export function recommendationObject(zone: string, rec: Recommendation, pass: DrsPassInfo, phase: DrsRecommendationPhase): DrsRecommendationObject {
  return {
    apiVersion: API_VERSION,
    kind: 'DrsRecommendation',
    metadata: { name: recommendationName(zone, rec, pass.at), labels: { [ZONE_LABEL]: zone } },
    spec: {
      zone,
      vm: rec.vm,
      from: rec.from,
      to: rec.to,
      kind: rec.kind,
      priority: rec.priority,
      ...(rec.together !== undefined && rec.together.length > 0 ? { together: [...rec.together] } : {}),
      reason: rec.reason,
    },
    status: { phase, ...recommendationFigures(rec), pass },
  };
}

/** The status figures of a recommendation. */
export function recommendationFigures(rec: Recommendation): Pick<
  NonNullable<DrsRecommendationObject['status']>,
  'imbalanceBefore' | 'imbalanceAfter' | 'gain' | 'benefit' | 'costScore' | 'cost'
> {
  return {
    imbalanceBefore: sig(rec.imbalanceBefore),
    imbalanceAfter: sig(rec.imbalanceAfter),
    gain: sig(rec.gain),
    benefit: sig(rec.benefit),
    costScore: sig(rec.costScore),
    cost: {
      seconds: sig(rec.cost.seconds),
      transferredMiB: Math.round(rec.cost.transferredMiB),
      stunMs: Math.round(rec.cost.stunMs),
      rounds: rec.cost.rounds,
      throttled: rec.cost.throttled,
      linkMbps: Math.round(rec.cost.linkMbps),
    },
  };
}

/** Whether a stored recommendation proposes the same move (same VM, hosts and group). */
export function sameMove(obj: DrsRecommendationObject, rec: Recommendation): boolean {
  const s = obj.spec;
  return s !== undefined && s.vm === rec.vm && s.from === rec.from && s.to === rec.to && (s.together ?? []).join(',') === (rec.together ?? []).join(',');
}

/** The VMs a recommendation moves: its VM and the ones that go with it. */
export function movedVms(obj: DrsRecommendationObject): string[] {
  return obj.spec === undefined ? [] : [obj.spec.vm, ...(obj.spec.together ?? [])];
}
