/**
 * One subnet's addresses: a bitmap of what is taken plus who took it. Used for a cluster's node
 * segment (VM addresses), a namespace's pod subnet, a cluster's service CIDR (ClusterIPs) and the
 * platform's external VIP pool. Allocation cycles forward from the last address handed out, so a
 * just-released address is not reused at once (stale ARP and conntrack entries on peers age out
 * first), as Docker's serial IPAM and NSX's pools do.
 */
import { ValidationError } from '../../api/index.js';
import { Bitmap } from './bitmap.js';
import { cidrContains, cidrSize, formatCidr, formatIpv4, parseCidr, parseIpv4, type Cidr, type Ipv4 } from './cidr.js';
import { AddressUnavailableError, PoolExhaustedError } from './errors.js';

export interface AddressPoolOptions {
  /** Shown in errors: e.g. `namespace prod/web`. */
  readonly name: string;
  readonly cidr: string;
  /** Reserve the first host address (.1) for the segment's gateway (the Tier-1 router port). */
  readonly gateway?: boolean;
}

/** The persisted form of a pool: JSON-safe, owners sorted, rebuilt with `AddressPool.fromState`. */
export interface AddressPoolState {
  readonly name: string;
  readonly cidr: string;
  readonly gateway: boolean;
  /** Where the next dynamic allocation starts searching. */
  readonly next: string;
  /** Owner → address. */
  readonly allocations: Readonly<Record<string, string>>;
}

/** An explicit address request; `field` is the path named in errors (default `address`). */
export interface AddressRequest {
  readonly address?: string;
  readonly field?: string;
}

type Reservation = 'network' | 'gateway' | 'broadcast';

/** A subnet's address allocator; see the module comment. */
export class AddressPool {
  readonly name: string;
  readonly cidr: Cidr;
  readonly hasGateway: boolean;
  private readonly bits: Bitmap;
  private readonly reserved = new Map<number, Reservation>();
  private readonly byOwner = new Map<string, number>();
  private readonly byOffset = new Map<number, string>();
  private cursor = 0;

  constructor(options: AddressPoolOptions) {
    this.name = options.name;
    this.cidr = parseCidr(options.cidr, { field: 'cidr' });
    this.hasGateway = options.gateway ?? false;
    const size = cidrSize(this.cidr);
    // RFC 3021: a /31 has no network or broadcast address; a /32 is a single host.
    if (this.cidr.prefix <= 30) {
      this.reserved.set(0, 'network');
      this.reserved.set(size - 1, 'broadcast');
    }
    if (this.hasGateway) {
      if (this.cidr.prefix > 30) throw ValidationError.field('cidr', `${options.cidr} is too small for a segment with a gateway (want /30 or larger)`);
      this.reserved.set(1, 'gateway');
    }
    this.bits = new Bitmap(size);
    for (const off of this.reserved.keys()) this.bits.set(off);
    this.cursor = this.hasGateway ? 2 : 0;
  }

  /** Rebuilds a pool from its persisted state, checking every allocation again. */
  static fromState(state: AddressPoolState): AddressPool {
    const pool = new AddressPool({ name: state.name, cidr: state.cidr, gateway: state.gateway });
    for (const [owner, address] of Object.entries(state.allocations)) pool.allocate(owner, { address, field: `allocations.${owner}` });
    const next = parseIpv4(state.next, 'next');
    if (!cidrContains(pool.cidr, next)) throw ValidationError.field('next', `${state.next} is outside ${state.cidr}`);
    pool.cursor = next - pool.cidr.network;
    return pool;
  }

  toState(): AddressPoolState {
    const allocations: Record<string, string> = {};
    for (const owner of [...this.byOwner.keys()].sort()) allocations[owner] = formatIpv4(this.addr(this.byOwner.get(owner) as number));
    return { name: this.name, cidr: formatCidr(this.cidr), gateway: this.hasGateway, next: formatIpv4(this.addr(this.cursor)), allocations };
  }

  /** The gateway address when one is reserved. */
  get gateway(): string | undefined {
    return this.hasGateway ? formatIpv4(this.addr(1)) : undefined;
  }

  /** Addresses that can ever be handed out (size minus reservations). */
  get capacity(): number {
    return cidrSize(this.cidr) - this.reserved.size;
  }

  get allocated(): number {
    return this.byOwner.size;
  }

  get free(): number {
    return this.capacity - this.byOwner.size;
  }

  /**
   * Hands `owner` an address: the requested one if it is free, else the next free one after the
   * last handed out. Idempotent: an owner that already holds an address gets it again.
   */
  allocate(owner: string, request: AddressRequest = {}): string {
    const field = request.field ?? 'address';
    const held = this.byOwner.get(owner);
    const wanted = request.address === undefined ? undefined : this.checkRequested(request.address, field, owner);
    if (held !== undefined) {
      if (wanted !== undefined && wanted !== held) {
        throw ValidationError.field(field, `${owner} already holds ${formatIpv4(this.addr(held))} in pool "${this.name}"; release it before requesting ${request.address}`);
      }
      return formatIpv4(this.addr(held));
    }
    let off = wanted;
    if (off === undefined) {
      off = this.bits.nextClear(this.cursor);
      if (off < 0) throw new PoolExhaustedError(this.name, formatCidr(this.cidr), this.capacity, 'addresses');
      this.cursor = (off + 1) % cidrSize(this.cidr);
    }
    this.bits.set(off);
    this.byOwner.set(owner, off);
    this.byOffset.set(off, owner);
    return formatIpv4(this.addr(off));
  }

  /** Frees `owner`'s address; returns it, or undefined when the owner held none (idempotent). */
  release(owner: string): string | undefined {
    const off = this.byOwner.get(owner);
    if (off === undefined) return undefined;
    this.bits.clear(off);
    this.byOwner.delete(owner);
    this.byOffset.delete(off);
    return formatIpv4(this.addr(off));
  }

  addressOf(owner: string): string | undefined {
    const off = this.byOwner.get(owner);
    return off === undefined ? undefined : formatIpv4(this.addr(off));
  }

  /** Who holds `ip` (an owner, or `network`/`gateway`/`broadcast`), or undefined when it is free or outside. */
  holderOf(ip: Ipv4): string | undefined {
    if (!cidrContains(this.cidr, ip)) return undefined;
    const off = ip - this.cidr.network;
    return this.byOffset.get(off) ?? this.reserved.get(off);
  }

  /** Owner → address, in owner order. */
  entries(): [owner: string, address: string][] {
    return [...this.byOwner.keys()].sort().map((o) => [o, formatIpv4(this.addr(this.byOwner.get(o) as number))]);
  }

  private addr(off: number): Ipv4 {
    return this.cidr.network + off;
  }

  /** The offset of a requested address, or a typed error saying why it cannot be had. */
  private checkRequested(text: string, field: string, owner: string): number {
    const ip = parseIpv4(text, field);
    const cidrText = formatCidr(this.cidr);
    if (!cidrContains(this.cidr, ip)) throw new AddressUnavailableError(field, text, this.name, cidrText, 'out-of-range');
    const off = ip - this.cidr.network;
    const reservation = this.reserved.get(off);
    if (reservation) throw new AddressUnavailableError(field, text, this.name, cidrText, 'reserved', reservation);
    const holder = this.byOffset.get(off);
    if (holder !== undefined && holder !== owner) throw new AddressUnavailableError(field, text, this.name, cidrText, 'allocated', holder);
    return off;
  }
}
