/**
 * Carrying a recommendation out: one VmMigration per moved VM (destination the recommendation's
 * host; reason DRS for balancing, RuleViolation for a must-rule fix), created by the DRS controller
 * in fullyAutomated mode or on request (`bulkhead drs apply`). The migration controller
 * (src/availability) executes them through the driver. A recommendation whose VM has moved since
 * the pass is marked Stale instead.
 */
import { AlreadyExistsError, API_VERSION, type VmMigration, type VmMigrationSpec } from '../../api/index.js';
import type { DrsRecommendationKind, DrsRecommendationObject } from '../../api/kinds/balance-kinds.js';
import type { Store } from '../../store/index.js';
import { RECOMMENDATION_LABEL, TENANT_LABEL, VM_LABEL, ZONE_LABEL } from '../model/labels.js';
import { movedVms } from './recommendation-objects.js';

/** What the apply step needs to know about the VMs now. */
export interface VmLookup {
  /** Host the VM runs on now, if it runs. */
  hostOf(vm: string): string | undefined;
  tenantOf(vm: string): string | undefined;
}

export type ApplyOutcome =
  | { readonly ok: true; readonly recommendation: DrsRecommendationObject; readonly migrations: readonly string[] }
  | { readonly ok: false; readonly recommendation: DrsRecommendationObject; readonly message: string };

/** The VmMigration reason for each kind of move: balancing is DRS's own; fixes name their cause. */
export const MIGRATION_REASON: Readonly<Record<DrsRecommendationKind, VmMigrationSpec['reason']>> = Object.freeze({
  balance: 'DRS',
  shouldRule: 'DRS',
  mustRule: 'RuleViolation',
  evacuate: 'Maintenance',
});

/** Names of the migrations of a recommendation: its own name, suffixed for the VMs moved with it. */
export function migrationNames(rec: DrsRecommendationObject): string[] {
  return movedVms(rec).map((_, i) => (i === 0 ? rec.metadata.name : `${rec.metadata.name}-${i}`));
}

/** Why a recommendation cannot be applied now, or undefined. */
export function staleReason(rec: DrsRecommendationObject, vms: VmLookup): string | undefined {
  const from = rec.spec?.from;
  for (const vm of movedVms(rec)) {
    const at = vms.hostOf(vm);
    if (at !== from) return at === undefined ? `VM ${vm} is not running` : `VM ${vm} is on ${at} now, not ${from ?? '?'}`;
  }
  return undefined;
}

/**
 * Applies a Pending recommendation: creates its migrations (idempotently) and marks it Applied,
 * or marks it Stale when its VMs moved. Throws ConflictError when the recommendation changed
 * meanwhile (the caller re-reads it).
 */
export async function applyRecommendation(store: Store, rec: DrsRecommendationObject, vms: VmLookup, by: string, now: string): Promise<ApplyOutcome> {
  const spec = rec.spec;
  if (spec === undefined) return { ok: false, recommendation: rec, message: 'has no spec' };
  if (rec.status?.phase !== undefined && rec.status.phase !== 'Pending') {
    return { ok: false, recommendation: rec, message: `is ${rec.status.phase}${rec.status.message ? ` (${rec.status.message})` : ''}` };
  }
  const stale = staleReason(rec, vms);
  if (stale !== undefined) {
    const updated = await store.update<DrsRecommendationObject>({ ...rec, status: { ...rec.status, phase: 'Stale', message: stale } }, { subresource: 'status' });
    return { ok: false, recommendation: updated, message: `is stale: ${stale}` };
  }
  const names = migrationNames(rec);
  const moved = movedVms(rec);
  for (let i = 0; i < moved.length; i++) {
    const vm = moved[i] as string;
    const tenant = vms.tenantOf(vm);
    const migration: VmMigration = {
      apiVersion: API_VERSION,
      kind: 'VmMigration',
      metadata: {
        name: names[i] as string,
        labels: { [RECOMMENDATION_LABEL]: rec.metadata.name, [ZONE_LABEL]: spec.zone, [VM_LABEL]: vm, ...(tenant !== undefined ? { [TENANT_LABEL]: tenant } : {}) },
      },
      spec: { vm, toHost: spec.to, reason: MIGRATION_REASON[spec.kind] },
    };
    try {
      await store.create(migration);
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
    }
  }
  const updated = await store.update<DrsRecommendationObject>(
    { ...rec, status: { ...rec.status, phase: 'Applied', migrations: names, appliedAt: now, appliedBy: by } },
    { subresource: 'status' },
  );
  return { ok: true, recommendation: updated, migrations: names };
}
