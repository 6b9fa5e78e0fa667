/**
 * Outcomes of PreFilter and Filter plugins, in the Kubernetes scheduler's `Status` shape, with the
 * named reasons Bulkhead records in placement explanations. Constant statuses are shared frozen
 * objects so the hot path allocates nothing per host.
 */

/** How a filter judged a host; `Error` aborts the decision (a bug, not a verdict). */
export const STATUS_CODES = ['Success', 'Unschedulable', 'UnschedulableAndUnresolvable', 'Error'] as const;
export type StatusCode = (typeof STATUS_CODES)[number];

export function isStatusCode(value: unknown): value is StatusCode {
  return typeof value === 'string' && (STATUS_CODES as readonly string[]).includes(value);
}

/** A filter's verdict with a named reason (empty on success). */
export interface FilterStatus {
  readonly code: StatusCode;
  readonly reason: string;
}

/** Named rejection reasons; `MissingFeature:<name>` is built per feature by `missingFeature`. */
export const REASONS = [
  'HostNotReady',
  'HostCordoned',
  'ZoneNotAllowed',
  'InsufficientCPU',
  'InsufficientMemory',
  'SensitivityIsolation',
  'TenantIsolation',
  'NumaNoFit',
] as const;
export type Reason = (typeof REASONS)[number];

export const SUCCESS: FilterStatus = Object.freeze({ code: 'Success', reason: '' });

/** A host this VM cannot use now, but could after other VMs leave. */
export function unschedulable(reason: string): FilterStatus {
  return Object.freeze({ code: 'Unschedulable', reason });
}

/** A host this VM cannot use whatever else moves (wrong zone, missing hardware, not ready). */
export function unresolvable(reason: string): FilterStatus {
  return Object.freeze({ code: 'UnschedulableAndUnresolvable', reason });
}

export function errorStatus(reason: string): FilterStatus {
  return Object.freeze({ code: 'Error', reason });
}

const missing = new Map<string, FilterStatus>();

/** The cached `MissingFeature:<feature>` status, so a miss does not build a string per host. */
export function missingFeature(feature: string): FilterStatus {
  let s = missing.get(feature);
  if (s === undefined) {
    s = unresolvable(`MissingFeature:${feature}`);
    missing.set(feature, s);
  }
  return s;
}
