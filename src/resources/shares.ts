/**
 * vSphere share levels turned into numbers. Shares only mean something relative to siblings; the
 * levels scale with the consumer's size so a bigger VM competes with proportionally more weight.
 * Values from the vSphere API `SharesInfo.Level` and the vSphere Resource Management guide
 * ("Share Values" table): low/normal/high = 500/1000/2000 per vCPU and 5/10/20 per MB of
 * configured memory; a resource pool counts as a VM with 4 vCPUs and 16 GB.
 */

/** How shares are given: a level scaled by size, or a custom number. */
export const SHARES_LEVELS = ['low', 'normal', 'high', 'custom'] as const;
export type SharesLevel = (typeof SHARES_LEVELS)[number];

export function isSharesLevel(value: unknown): value is SharesLevel {
  return typeof value === 'string' && (SHARES_LEVELS as readonly string[]).includes(value);
}

/** A shares setting as written in a spec: `shares` is read only when `level` is `custom`. */
export interface Shares {
  readonly level: SharesLevel;
  readonly shares?: number;
}

/** The default when a spec says nothing. */
export const NORMAL_SHARES: Shares = Object.freeze({ level: 'normal' });

/** Largest custom value accepted: our bound, so share sums stay far from float precision limits. */
export const MAX_CUSTOM_SHARES = 1_000_000;

/** CPU shares per vCPU for each level. */
export const CPU_SHARES_PER_VCPU: Readonly<Record<Exclude<SharesLevel, 'custom'>, number>> = Object.freeze({ low: 500, normal: 1000, high: 2000 });
/** Memory shares per MB (MiB) of configured memory for each level. */
export const MEMORY_SHARES_PER_MIB: Readonly<Record<Exclude<SharesLevel, 'custom'>, number>> = Object.freeze({ low: 5, normal: 10, high: 20 });

/** The size a resource pool's level is scaled by: "as if it were a VM with 4 vCPUs and 16 GB". */
export const POOL_EQUIVALENT = Object.freeze({ vcpus: 4, memoryMiB: 16 * 1024 });

/** CPU shares of a consumer with `vcpus` virtual CPUs. */
export function cpuShares(shares: Shares, vcpus: number): number {
  if (shares.level === 'custom') return shares.shares ?? 0;
  return CPU_SHARES_PER_VCPU[shares.level] * vcpus;
}

/** Memory shares of a consumer with `memoryMiB` of configured memory. */
export function memoryShares(shares: Shares, memoryMiB: number): number {
  if (shares.level === 'custom') return shares.shares ?? 0;
  return MEMORY_SHARES_PER_MIB[shares.level] * memoryMiB;
}

/** Why a shares setting is unusable, or undefined when it is fine (for field-named errors). */
export function sharesProblem(shares: Shares): string | undefined {
  if (shares.level === 'custom') {
    if (shares.shares === undefined) return 'required when level is "custom"';
    if (!Number.isInteger(shares.shares) || shares.shares < 1 || shares.shares > MAX_CUSTOM_SHARES)
      return `must be an integer from 1 to ${MAX_CUSTOM_SHARES}, got ${shares.shares}`;
    return undefined;
  }
  if (shares.shares !== undefined) return `only allowed when level is "custom" (level is "${shares.level}")`;
  return undefined;
}
