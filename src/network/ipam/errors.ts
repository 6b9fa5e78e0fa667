/**
 * Typed IPAM errors. A request the caller must change (an address or CIDR that is taken, reserved
 * or out of range) is a ValidationError naming the field, as Kubernetes answers
 * `spec.clusterIP: Invalid value: "10.96.0.10": provided IP is already allocated`. A pool that is
 * full or still in use is a 409: the request was fine, the pool's state is in the way.
 */
import { BulkheadError, ValidationError } from '../../api/index.js';

/** Why an explicitly requested address cannot be handed out. */
export const ADDRESS_UNAVAILABLE_REASONS = ['allocated', 'reserved', 'out-of-range'] as const;
export type AddressUnavailableReason = (typeof ADDRESS_UNAVAILABLE_REASONS)[number];

/** A requested address is already allocated, reserved (network, gateway, broadcast) or outside the pool. */
export class AddressUnavailableError extends ValidationError {
  constructor(
    readonly field: string,
    readonly address: string,
    readonly pool: string,
    readonly poolCidr: string,
    readonly why: AddressUnavailableReason,
    /** Who holds the address when `why` is `allocated`, or what it is reserved for. */
    readonly holder?: string,
  ) {
    const detail =
      why === 'allocated'
        ? `provided IP is already allocated${holder ? ` (to ${holder})` : ''}`
        : why === 'reserved'
          ? `provided IP is reserved${holder ? ` as the ${holder} address` : ''} of ${poolCidr}`
          : `provided IP is not in the valid range. The range of valid IPs is ${poolCidr}`;
    super([{ field, message: `Invalid value "${address}": ${detail} (pool "${pool}")` }]);
  }
}

/** A requested CIDR overlaps a block already allocated (or excluded) in the same pool. */
export class CidrOverlapError extends ValidationError {
  constructor(
    readonly field: string,
    readonly requested: string,
    readonly existing: string,
    /** The owner of the existing block, or `excluded` for a range the pool never hands out. */
    readonly existingOwner: string,
    readonly pool: string,
  ) {
    super([{ field, message: `${requested} overlaps ${existing} held by ${existingOwner} in pool "${pool}"` }]);
  }
}

/** A requested CIDR does not fit the pool (outside it, or the wrong size for it). */
export class CidrOutOfRangeError extends ValidationError {
  constructor(
    readonly field: string,
    readonly requested: string,
    readonly pool: string,
    readonly poolCidr: string,
    why: string,
  ) {
    super([{ field, message: `${requested} ${why} (pool "${pool}" is ${poolCidr})` }]);
  }
}

/** Nothing of the requested size is free. Names the pool, its range and its capacity. */
export class PoolExhaustedError extends BulkheadError {
  constructor(
    readonly pool: string,
    readonly poolCidr: string,
    /** How many units the pool holds in all (usable addresses, or subnets of the requested size). */
    readonly size: number,
    /** What a unit is: `addresses` or e.g. `/24 subnets`. */
    readonly unit: string,
  ) {
    super(409, 'Conflict', `pool "${pool}" (${poolCidr}) is exhausted: none of its ${size} ${unit} is free`);
  }
}

/** A pool cannot be released while it still holds allocations (release its children first). */
export class PoolInUseError extends BulkheadError {
  constructor(
    readonly pool: string,
    readonly allocations: number,
  ) {
    super(409, 'Conflict', `pool "${pool}" still holds ${allocations} allocation${allocations === 1 ? '' : 's'}; release them first`);
  }
}
