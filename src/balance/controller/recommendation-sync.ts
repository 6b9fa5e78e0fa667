/**
 * Keeps a zone's DrsRecommendation objects in step with its latest pass. Manual mode: the pass's
 * moves are the zone's Pending recommendations (a move proposed again keeps its object and gets
 * the new figures; one no longer proposed is deleted). Fully automated: each move is recorded and
 * applied at once. Applied and Stale ones are history, the newest `HISTORY_PER_ZONE` kept.
 */
import type { Logger } from 'pino';
import { AlreadyExistsError, NotFoundError } from '../../api/index.js';
import type { DrsPassInfo, DrsRecommendationObject } from '../../api/kinds/balance-kinds.js';
import type { Informer } from '../../controllers/index.js';
import type { Recommendation } from '../../drs/index.js';
import type { Store } from '../../store/index.js';
import { applyRecommendation, type VmLookup } from '../drs/apply-recommendation.js';
import { recommendationFigures, recommendationObject, sameMove } from '../drs/recommendation-objects.js';

/** Applied and Stale recommendations kept per zone. */
export const HISTORY_PER_ZONE = 50;

export interface RecommendationSyncDeps {
  readonly store: Store;
  readonly log: Logger;
  readonly recommendations: Informer<DrsRecommendationObject>;
}

function ofZone(inf: Informer<DrsRecommendationObject>, zone: string): DrsRecommendationObject[] {
  return inf.list().filter((r) => r.spec?.zone === zone);
}

async function deleteQuietly(store: Store, name: string): Promise<void> {
  try {
    await store.delete('DrsRecommendation', '', name);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
}

export class RecommendationSync {
  constructor(private readonly deps: RecommendationSyncDeps) {}

  /** Manual mode: the zone's Pending recommendations become exactly the pass's. */
  async showPending(zone: string, recs: readonly Recommendation[], pass: DrsPassInfo): Promise<void> {
    const { store } = this.deps;
    const pending = ofZone(this.deps.recommendations, zone).filter((r) => (r.status?.phase ?? 'Pending') === 'Pending');
    const kept = new Set<string>();
    for (const rec of recs) {
      const match = pending.find((p) => !kept.has(p.metadata.name) && sameMove(p, rec));
      if (match === undefined) {
        await store.create(recommendationObject(zone, rec, pass, 'Pending'));
        continue;
      }
      kept.add(match.metadata.name);
      await store.update<DrsRecommendationObject>(
        { ...match, spec: { ...(match.spec as NonNullable<DrsRecommendationObject['spec']>), kind: rec.kind, priority: rec.priority, reason: rec.reason }, status: { ...match.status, ...recommendationFigures(rec), pass } },
        { subresource: 'all' },
      );
    }
    for (const p of pending) if (!kept.has(p.metadata.name)) await deleteQuietly(store, p.metadata.name);
  }

  /** Fully automated: records each move and applies it; returns the migrations created. */
  async applyAll(zone: string, recs: readonly Recommendation[], pass: DrsPassInfo, vms: VmLookup, now: string): Promise<number> {
    const { store, log } = this.deps;
    for (const p of ofZone(this.deps.recommendations, zone)) if ((p.status?.phase ?? 'Pending') === 'Pending') await deleteQuietly(store, p.metadata.name);
    let migrations = 0;
    for (const rec of recs) {
      let created;
      try {
        created = await store.create(recommendationObject(zone, rec, pass, 'Pending'));
      } catch (err) {
        // The same move at the same instant (a pass run twice at one simulated time) is already issued.
        if (err instanceof AlreadyExistsError) continue;
        throw err;
      }
      const outcome = await applyRecommendation(store, created, vms, 'drs', now);
      if (outcome.ok) migrations += outcome.migrations.length;
      else log.info({ zone, recommendation: created.metadata.name, why: outcome.message }, 'drs: recommendation not applied');
    }
    return migrations;
  }

  /** Deletes the oldest Applied and Stale recommendations beyond the history limit. */
  async prune(zone: string): Promise<void> {
    const done = ofZone(this.deps.recommendations, zone)
      .filter((r) => r.status?.phase === 'Applied' || r.status?.phase === 'Stale')
      .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || b.metadata.name.localeCompare(a.metadata.name));
    for (const r of done.slice(HISTORY_PER_ZONE)) await deleteQuietly(this.deps.store, r.metadata.name);
  }
}
