/**
 * IPv4 address and CIDR arithmetic: parse, format, containment and overlap. Addresses are
 * unsigned 32-bit integers so that IPAM bitmaps and the policy engine's ipBlock checks are plain
 * integer comparisons. IPv4 only: Bulkhead's networks are single-stack.
 */
import { ValidationError } from '../../api/index.js';

/** An IPv4 address as an unsigned 32-bit integer (10.0.0.1 is 0x0a000001). */
export type Ipv4 = number;

/** A parsed IPv4 prefix: the network address (host bits zero) and the prefix length 0..32. */
export interface Cidr {
  readonly network: Ipv4;
  readonly prefix: number;
}

export interface ParseCidrOptions {
  /** The field path named in the ValidationError (default `cidr`). */
  readonly field?: string;
  /**
   * Reject host bits set after the prefix (`10.0.0.5/24`). On by default: an address block with
   * host bits is a typo. Kubernetes tolerates them in ipBlock and loadBalancerSourceRanges (Go's
   * net.ParseCIDR masks them), so those callers pass `strict: false`.
   */
  readonly strict?: boolean;
}

const OCTET = /^(0|[1-9][0-9]{0,2})$/;
const PREFIX = /^(0|[1-9][0-9]?)$/;

/** Why `text` is not a dotted-quad IPv4 address, or the address. */
function ipv4OrProblem(text: string): Ipv4 | string {
  const parts = text.split('.');
  if (parts.length !== 4) return `"${text}" is not an IPv4 address (want four dot-separated numbers)`;
  let value = 0;
  for (const part of parts) {
    // Leading zeros are refused, as Go's net.ParseIP does: "010" could mean octal.
    if (!OCTET.test(part)) return `"${text}" is not an IPv4 address ("${part}" is not a decimal octet)`;
    const n = Number(part);
    if (n > 255) return `"${text}" is not an IPv4 address (${n} is over 255)`;
    value = value * 256 + n;
  }
  return value;
}

/** The netmask of a prefix length as an unsigned integer (/0 is 0, /32 is 0xffffffff). */
export function prefixMask(prefix: number): number {
  // A shift by 32 is a shift by 0 in JavaScript, so /0 is special-cased.
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The address, or undefined when `text` is not a canonical dotted quad. */
export function tryParseIpv4(text: string): Ipv4 | undefined {
  const r = ipv4OrProblem(text);
  return typeof r === 'number' ? r : undefined;
}

/** Parses a dotted-quad address; a ValidationError names `field` when it is not one. */
export function parseIpv4(text: string, field = 'ip'): Ipv4 {
  const r = ipv4OrProblem(text);
  if (typeof r === 'string') throw ValidationError.field(field, r);
  return r;
}

/** Dotted-quad text of an address. */
export function formatIpv4(ip: Ipv4): string {
  return `${(ip >>> 24) & 255}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

function cidrOrProblem(text: string, strict: boolean): Cidr | string {
  const slash = text.indexOf('/');
  if (slash < 0) return `"${text}" is not a CIDR (want address/prefix, e.g. 10.0.0.0/24)`;
  const ip = ipv4OrProblem(text.slice(0, slash));
  if (typeof ip === 'string') return ip;
  const p = text.slice(slash + 1);
  if (!PREFIX.test(p) || Number(p) > 32) return `"${text}" has an invalid prefix length "${p}" (want 0 to 32)`;
  const prefix = Number(p);
  const network = (ip & prefixMask(prefix)) >>> 0;
  if (strict && network !== ip) return `"${text}" has host bits set after /${prefix} (did you mean ${formatIpv4(network)}/${prefix}?)`;
  return { network, prefix };
}

/** The prefix, or undefined when `text` is not a valid CIDR. */
export function tryParseCidr(text: string, options: Pick<ParseCidrOptions, 'strict'> = {}): Cidr | undefined {
  const r = cidrOrProblem(text, options.strict ?? true);
  return typeof r === 'string' ? undefined : r;
}

/** Parses `a.b.c.d/n`; a ValidationError names the field and what is wrong. */
export function parseCidr(text: string, options: ParseCidrOptions = {}): Cidr {
  const r = cidrOrProblem(text, options.strict ?? true);
  if (typeof r === 'string') throw ValidationError.field(options.field ?? 'cidr', r);
  return r;
}

/** Canonical text of a prefix (`10.16.0.0/12`). */
export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}

/** A prefix from an address and a length, host bits masked off. */
export function cidrOf(ip: Ipv4, prefix: number): Cidr {
  return { network: (ip & prefixMask(prefix)) >>> 0, prefix };
}

/** Number of addresses in the prefix, 1 (/32) to 2^32 (/0). */
export function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

/** The last address of the prefix (the broadcast address of a subnet). */
export function cidrLast(cidr: Cidr): Ipv4 {
  return cidr.network + cidrSize(cidr) - 1;
}

/** Whether `ip` lies inside the prefix. */
export function cidrContains(cidr: Cidr, ip: Ipv4): boolean {
  return ((ip & prefixMask(cidr.prefix)) >>> 0) === cidr.network;
}

/** Whether every address of `inner` lies inside `outer`. */
export function cidrContainsCidr(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && cidrContains(outer, inner.network);
}

/** Whether the two prefixes share any address (for prefixes: one contains the other). */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContainsCidr(a, b) || cidrContainsCidr(b, a);
}

/** The address `offset` places after the network address; a RangeError outside the prefix. */
export function cidrAddress(cidr: Cidr, offset: number): Ipv4 {
  if (!Number.isInteger(offset) || offset < 0 || offset >= cidrSize(cidr)) {
    throw new RangeError(`offset ${offset} is outside ${formatCidr(cidr)}`);
  }
  return cidr.network + offset;
}

/** Whether `text` is a valid IPv4 CIDR (host bits allowed unless `strict`). */
export function isCidr(text: string, options: Pick<ParseCidrOptions, 'strict'> = {}): boolean {
  return tryParseCidr(text, options) !== undefined;
}
