/**
 * Carves aligned sub-blocks out of a larger block: tenant blocks out of the platform pool, node
 * segments and namespace subnets out of a tenant block (NSX's IP block → subnet model). Blocks of
 * different sizes share one pool and never overlap. Like the address pool it cycles forward: the
 * search starts after the last block handed out.
 */
import { ValidationError } from '../../api/index.js';
import { cidrContains, cidrContainsCidr, cidrLast, cidrSize, cidrsOverlap, formatCidr, formatIpv4, parseCidr, parseIpv4, type Cidr, type Ipv4 } from './cidr.js';
import { CidrOutOfRangeError, CidrOverlapError, PoolExhaustedError } from './errors.js';

export interface SubnetPoolOptions {
  /** Shown in errors: e.g. `tenant acme`. */
  readonly name: string;
  readonly cidr: string;
  /** Blocks never handed out (e.g. a service CIDR that sits inside the platform pool). */
  readonly excluded?: readonly string[];
}

/** The persisted form of a pool: JSON-safe, owners sorted, rebuilt with `SubnetPool.fromState`. */
export interface SubnetPoolState {
  readonly name: string;
  readonly cidr: string;
  readonly excluded: readonly string[];
  /** Where the next dynamic allocation starts searching. */
  readonly next: string;
  /** Owner → CIDR. */
  readonly allocations: Readonly<Record<string, string>>;
}

/** What to allocate: a block of `prefix` length anywhere, or exactly `cidr`. */
export interface SubnetRequest {
  readonly prefix?: number;
  readonly cidr?: string;
  /** Path named in errors about `cidr` (default `cidr`). */
  readonly field?: string;
}

/** Owner label of an excluded range, as named in overlap errors. */
export const EXCLUDED_OWNER = 'an excluded range';

interface Block {
  readonly cidr: Cidr;
  readonly start: number;
  readonly end: number;
  readonly owner: string;
}

/** An allocator of non-overlapping sub-CIDRs; see the module comment. */
export class SubnetPool {
  readonly name: string;
  readonly cidr: Cidr;
  readonly excluded: readonly Cidr[];
  /** Sorted by start, never overlapping. */
  private blocks: Block[] = [];
  private readonly byOwner = new Map<string, Block>();
  private cursor: Ipv4;

  constructor(options: SubnetPoolOptions) {
    this.name = options.name;
    this.cidr = parseCidr(options.cidr, { field: 'cidr' });
    this.cursor = this.cidr.network;
    const excluded = (options.excluded ?? []).map((text, i) => parseCidr(text, { field: `excluded[${i}]` }));
    // Prefixes overlap only by containment: keep the outermost of any nested exclusions.
    this.excluded = excluded.filter((c, i) => !excluded.some((o, j) => j !== i && cidrContainsCidr(o, c) && (o.prefix < c.prefix || j < i)));
    for (const c of this.excluded) if (cidrsOverlap(c, this.cidr)) this.insert(blockOf(c, EXCLUDED_OWNER));
  }

  /** Rebuilds a pool from its persisted state, checking every allocation again. */
  static fromState(state: SubnetPoolState): SubnetPool {
    const pool = new SubnetPool({ name: state.name, cidr: state.cidr, excluded: state.excluded });
    for (const [owner, cidr] of Object.entries(state.allocations)) pool.allocate(owner, { cidr, field: `allocations.${owner}` });
    const next = parseIpv4(state.next, 'next');
    if (!cidrContains(pool.cidr, next)) throw ValidationError.field('next', `${state.next} is outside ${state.cidr}`);
    pool.cursor = next;
    return pool;
  }

  toState(): SubnetPoolState {
    const allocations: Record<string, string> = {};
    for (const owner of [...this.byOwner.keys()].sort()) allocations[owner] = formatCidr((this.byOwner.get(owner) as Block).cidr);
    return { name: this.name, cidr: formatCidr(this.cidr), excluded: this.excluded.map(formatCidr), next: formatIpv4(this.cursor), allocations };
  }

  get allocated(): number {
    return this.byOwner.size;
  }

  /**
   * Gives `owner` a block: exactly `cidr` when it is inside the pool and free, else the first free
   * aligned block of `prefix` after the last one handed out. Idempotent: an owner that already
   * holds a block gets it back (the requested size applies only to a new allocation).
   */
  allocate(owner: string, request: SubnetRequest): string {
    const field = request.field ?? 'cidr';
    const held = this.byOwner.get(owner);
    if (request.cidr !== undefined) {
      const wanted = parseCidr(request.cidr, { field });
      if (held) {
        if (held.cidr.network === wanted.network && held.cidr.prefix === wanted.prefix) return formatCidr(held.cidr);
        throw ValidationError.field(field, `${owner} already holds ${formatCidr(held.cidr)} in pool "${this.name}"; release it before requesting ${request.cidr}`);
      }
      this.checkFits(wanted, field);
      const clash = this.firstOverlap(wanted.network, cidrLast(wanted));
      if (clash) throw new CidrOverlapError(field, formatCidr(wanted), formatCidr(clash.cidr), clash.owner, this.name);
      this.insert(blockOf(wanted, owner));
      return formatCidr(wanted);
    }
    if (held) return formatCidr(held.cidr);
    const prefix = request.prefix;
    if (prefix === undefined || !Number.isInteger(prefix) || prefix < this.cidr.prefix || prefix > 32) {
      throw ValidationError.field('prefix', `want a prefix length from ${this.cidr.prefix} to 32 for pool "${this.name}" (${formatCidr(this.cidr)}), got ${String(prefix)}`);
    }
    const start = this.findFree(prefix);
    if (start < 0) throw new PoolExhaustedError(this.name, formatCidr(this.cidr), 2 ** (prefix - this.cidr.prefix), `/${prefix} subnets`);
    const cidr: Cidr = { network: start, prefix };
    this.insert(blockOf(cidr, owner));
    const after = start + cidrSize(cidr);
    this.cursor = after > cidrLast(this.cidr) ? this.cidr.network : after;
    return formatCidr(cidr);
  }

  /** Frees `owner`'s block; returns it, or undefined when the owner held none (idempotent). */
  release(owner: string): string | undefined {
    const block = this.byOwner.get(owner);
    if (!block) return undefined;
    this.byOwner.delete(owner);
    this.blocks = this.blocks.filter((b) => b !== block);
    return formatCidr(block.cidr);
  }

  subnetOf(owner: string): string | undefined {
    const b = this.byOwner.get(owner);
    return b ? formatCidr(b.cidr) : undefined;
  }

  /** The allocation containing `ip`, or undefined (free, excluded or outside). */
  blockContaining(ip: Ipv4): { readonly owner: string; readonly cidr: string } | undefined {
    const b = this.firstOverlap(ip, ip);
    return b && b.owner !== EXCLUDED_OWNER ? { owner: b.owner, cidr: formatCidr(b.cidr) } : undefined;
  }

  /** Owner → CIDR, in owner order. */
  entries(): [owner: string, cidr: string][] {
    return [...this.byOwner.keys()].sort().map((o) => [o, formatCidr((this.byOwner.get(o) as Block).cidr)]);
  }

  private checkFits(wanted: Cidr, field: string): void {
    if (!cidrContainsCidr(this.cidr, wanted)) {
      throw new CidrOutOfRangeError(field, formatCidr(wanted), this.name, formatCidr(this.cidr), 'is not inside the pool');
    }
  }

  /** Start of the first free aligned block of `prefix`, searching forward from the cursor and wrapping once; -1 if none. */
  private findFree(prefix: number): number {
    const size = 2 ** (32 - prefix);
    const last = cidrLast(this.cidr);
    let origin = alignUp(this.cursor, size);
    if (origin + size - 1 > last) origin = this.cidr.network;
    const ahead = this.search(origin, size, last);
    return ahead >= 0 ? ahead : this.search(this.cidr.network, size, origin - 1);
  }

  /** First free aligned block of `size` starting in [from, through]; -1 if none. */
  private search(from: number, size: number, through: number): number {
    const last = cidrLast(this.cidr);
    let s = alignUp(from, size);
    while (s <= through && s + size - 1 <= last) {
      const clash = this.firstOverlap(s, s + size - 1);
      if (!clash) return s;
      s = alignUp(clash.end + 1, size);
    }
    return -1;
  }

  /** The first block (allocated or excluded) sharing an address with [start, end]. */
  private firstOverlap(start: number, end: number): Block | undefined {
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.blocks[mid] as Block).end < start) lo = mid + 1;
      else hi = mid;
    }
    const b = this.blocks[lo];
    return b && b.start <= end ? b : undefined;
  }

  private insert(block: Block): void {
    let i = 0;
    while (i < this.blocks.length && (this.blocks[i] as Block).start < block.start) i++;
    this.blocks.splice(i, 0, block);
    if (block.owner !== EXCLUDED_OWNER) this.byOwner.set(block.owner, block);
  }
}

function blockOf(cidr: Cidr, owner: string): Block {
  return { cidr, start: cidr.network, end: cidrLast(cidr), owner };
}

function alignUp(x: number, size: number): number {
  return Math.ceil(x / size) * size;
}
