/**
 * A zone's DRS settings with defaults applied. DRS is on unless `spec.drs.enabled` is false; the
 * default automation is `manual` (recommendations only: nothing moves unless someone applies
 * them), threshold 3, a pass every 300 s of simulated time (vSphere's 5 minutes).
 * `partiallyAutomated` is vSphere's "automatic initial placement, recommended migrations": for
 * migrations it behaves as `manual`.
 */
import { DRS_AUTOMATION_LEVELS, type Zone } from '../../api/index.js';

export type ZoneAutomation = (typeof DRS_AUTOMATION_LEVELS)[number];

export interface DrsSettings {
  readonly enabled: boolean;
  readonly automation: ZoneAutomation;
  readonly threshold: number;
  readonly intervalMs: number;
}

export const DEFAULT_DRS_SETTINGS: DrsSettings = Object.freeze({ enabled: true, automation: 'manual', threshold: 3, intervalMs: 300_000 });

export function drsSettingsOf(zone: Zone | undefined): DrsSettings {
  const d = zone?.spec?.drs;
  return {
    enabled: d?.enabled ?? DEFAULT_DRS_SETTINGS.enabled,
    automation: d?.automation ?? DEFAULT_DRS_SETTINGS.automation,
    threshold: d?.migrationThreshold ?? DEFAULT_DRS_SETTINGS.threshold,
    intervalMs: (d?.intervalSeconds ?? DEFAULT_DRS_SETTINGS.intervalMs / 1000) * 1000,
  };
}

/** Whether the controller carries the pass's recommendations out itself. */
export function migratesAutomatically(s: DrsSettings): boolean {
  return s.automation === 'fullyAutomated';
}
