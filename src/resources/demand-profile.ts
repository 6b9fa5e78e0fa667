/**
 * A workload's demand over time, as data: constant, diurnal (a 24 h sinusoid with an amplitude and
 * the minute of the day it peaks, UTC) or bursty (a baseline with seeded random bursts: burst
 * starts form a Poisson process with the given mean interval, durations are exponential with the
 * given mean, cut at 5x the mean). Evaluated at a time in ms, so it runs on any Clock: the virtual
 * clock in tests and `bulkhead sim`, the wall clock in a server. Same profile, same time, same
 * demand.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { schemaCauses, type FieldCause } from '../api/index.js';
import { Random } from '../clock/index.js';

export const DEMAND_PROFILE_KINDS = ['constant', 'diurnal', 'bursty'] as const;
export type DemandProfileKind = (typeof DEMAND_PROFILE_KINDS)[number];

const Millis = Type.Integer({ minimum: 0 });
const MiB = Type.Integer({ minimum: 0 });

export const ConstantProfileSchema = Type.Object(
  { kind: Type.Literal('constant'), cpuMillis: Millis, memoryMiB: MiB },
  { additionalProperties: false },
);
export const DiurnalProfileSchema = Type.Object(
  {
    kind: Type.Literal('diurnal'),
    /** Mean over the day. */
    cpuMillis: Millis,
    memoryMiB: MiB,
    /** Peak-to-mean swing of CPU in percent of the mean (0-100). */
    amplitudePercent: Type.Integer({ minimum: 0, maximum: 100 }),
    /** Same for memory; absent: memory stays at its mean. */
    memoryAmplitudePercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    /** Minute of the day (UTC, 0-1439) at which demand peaks: the phase. */
    peakMinuteUtc: Type.Integer({ minimum: 0, maximum: 1439 }),
  },
  { additionalProperties: false },
);
export const BurstyProfileSchema = Type.Object(
  {
    kind: Type.Literal('bursty'),
    /** Baseline between bursts. */
    cpuMillis: Millis,
    memoryMiB: MiB,
    /** Level during a burst. */
    burstCpuMillis: Millis,
    /** Absent: memory stays at the baseline. */
    burstMemoryMiB: Type.Optional(MiB),
    meanIntervalSeconds: Type.Integer({ minimum: 1 }),
    meanDurationSeconds: Type.Integer({ minimum: 1 }),
    seed: Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 }),
  },
  { additionalProperties: false },
);
/** Any demand profile; `kind` says which. */
export const DemandProfileSchema = Type.Union([ConstantProfileSchema, DiurnalProfileSchema, BurstyProfileSchema]);

export type ConstantProfile = Static<typeof ConstantProfileSchema>;
export type DiurnalProfile = Static<typeof DiurnalProfileSchema>;
export type BurstyProfile = Static<typeof BurstyProfileSchema>;
export type DemandProfile = ConstantProfile | DiurnalProfile | BurstyProfile;

/** Demand at one instant. */
export interface Demand {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

/** A parsed profile, or the field-named reasons it is not one. */
export type ProfileResult = { readonly ok: true; readonly profile: DemandProfile } | { readonly ok: false; readonly causes: readonly FieldCause[] };

const SCHEMAS: Readonly<Record<DemandProfileKind, TSchema>> = { constant: ConstantProfileSchema, diurnal: DiurnalProfileSchema, bursty: BurstyProfileSchema };

/** Checks unknown input against the schema its `kind` names (clearer errors than the union's). */
export function parseDemandProfile(value: unknown, field = 'demandProfile'): ProfileResult {
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (typeof kind !== 'string' || !(DEMAND_PROFILE_KINDS as readonly string[]).includes(kind))
    return { ok: false, causes: [{ field: `${field}.kind`, message: `must be one of ${DEMAND_PROFILE_KINDS.map((k) => `"${k}"`).join(', ')}` }] };
  const causes = schemaCauses(SCHEMAS[kind as DemandProfileKind], value, field);
  return causes.length > 0 ? { ok: false, causes } : { ok: true, profile: value as DemandProfile };
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Bursts longer than this many mean durations are cut (keeps the look-back bounded). */
export const MAX_BURST_FACTOR = 5;

/** One burst: [startMs, endMs). */
export interface Burst {
  readonly startMs: number;
  readonly endMs: number;
}

// A 32-bit mix of the seed and a window index (which can exceed 2^32 for tiny windows).
function windowSeed(seed: number, window: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (window >>> 0), 0xc2b2ae35);
  h = Math.imul(h ^ Math.floor(window / 2 ** 32), 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}

// Bursts starting in window k ([k*W, (k+1)*W), W = mean interval): a Poisson(1) count of them,
// each at a uniform offset with an exponential duration.
function windowBursts(p: BurstyProfile, k: number): Burst[] {
  const w = p.meanIntervalSeconds * 1000;
  const mean = p.meanDurationSeconds * 1000;
  const rng = new Random(windowSeed(p.seed, k));
  const limit = Math.exp(-1);
  let count = 0;
  for (let prod = rng.next(); prod > limit; prod *= rng.next()) count++;
  const out: Burst[] = [];
  for (let i = 0; i < count; i++) {
    const startMs = k * w + Math.floor(rng.next() * w);
    const duration = Math.min(MAX_BURST_FACTOR * mean, Math.max(1, Math.round(-mean * Math.log(1 - rng.next()))));
    out.push({ startMs, endMs: startMs + duration });
  }
  return out;
}

/** The bursts of a bursty profile that overlap [fromMs, toMs), in start order. */
export function burstsBetween(p: BurstyProfile, fromMs: number, toMs: number): Burst[] {
  const w = p.meanIntervalSeconds * 1000;
  const lookBack = Math.ceil((MAX_BURST_FACTOR * p.meanDurationSeconds * 1000) / w);
  const first = Math.floor(fromMs / w) - lookBack;
  const last = Math.floor((toMs - 1) / w);
  const out: Burst[] = [];
  for (let k = first; k <= last; k++) for (const b of windowBursts(p, k)) if (b.endMs > fromMs && b.startMs < toMs) out.push(b);
  return out.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
}

/** Whether a bursty profile is in a burst at `atMs`. */
export function inBurst(p: BurstyProfile, atMs: number): boolean {
  return burstsBetween(p, atMs, atMs + 1).length > 0;
}

/** The demand a profile describes at time `atMs` (ms since the epoch, e.g. `clock.now()`). */
export function demandAt(p: DemandProfile, atMs: number): Demand {
  switch (p.kind) {
    case 'constant':
      return { cpuMillis: p.cpuMillis, memoryMiB: p.memoryMiB };
    case 'diurnal': {
      const minute = (((atMs % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS;
      const wave = Math.cos((2 * Math.PI * (minute - p.peakMinuteUtc)) / 1440);
      return {
        cpuMillis: p.cpuMillis * (1 + (p.amplitudePercent / 100) * wave),
        memoryMiB: p.memoryMiB * (1 + ((p.memoryAmplitudePercent ?? 0) / 100) * wave),
      };
    }
    case 'bursty':
      return inBurst(p, atMs)
        ? { cpuMillis: p.burstCpuMillis, memoryMiB: p.burstMemoryMiB ?? p.memoryMiB }
        : { cpuMillis: p.cpuMillis, memoryMiB: p.memoryMiB };
  }
}
