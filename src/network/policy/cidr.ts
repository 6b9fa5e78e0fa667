/**
 * IPv4/IPv6 addresses and CIDR blocks for ipBlock peers: strict parsing (no leading zeros in IPv4
 * octets), containment, and the upstream rule that every `except` is a strict subset of `cidr`.
 */

/** A parsed address: the family and the address as an unsigned integer. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

/** A parsed CIDR: the network (host bits cleared) and prefix length. */
export interface Cidr {
  readonly text: string;
  readonly family: 4 | 6;
  readonly prefix: number;
  readonly network: bigint;
  /** Bits right of the prefix; `value >> shift === network >> shift` means inside. */
  readonly shift: bigint;
}

const OCTET = /^(0|[1-9][0-9]{0,2})$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!OCTET.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseHextets(s: string): bigint[] | undefined {
  if (s === '') return [];
  const out: bigint[] = [];
  const parts = s.split(':');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    if (i === parts.length - 1 && p.includes('.')) {
      const v4 = parseV4(p);
      if (v4 === undefined) return undefined;
      out.push(v4 >> 16n, v4 & 0xffffn);
    } else if (HEXTET.test(p)) out.push(BigInt(`0x${p}`));
    else return undefined;
  }
  return out;
}

function parseV6(s: string): bigint | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = parseHextets(halves[0] as string);
  const tail = halves.length === 2 ? parseHextets(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  let v = 0n;
  for (const h of [...head, ...Array<bigint>(Math.max(0, missing)).fill(0n), ...tail]) v = (v << 16n) | h;
  return v;
}

/** Parses an IPv4 or IPv6 address; undefined when malformed. */
export function parseIp(s: string): IpAddress | undefined {
  if (s.includes(':')) {
    const v = parseV6(s);
    return v === undefined ? undefined : { family: 6, value: v };
  }
  const v = parseV4(s);
  return v === undefined ? undefined : { family: 4, value: v };
}

/** Parses `addr/prefix`; host bits may be set (they are cleared), as Kubernetes accepts. */
export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(s.slice(0, slash));
  const len = s.slice(slash + 1);
  if (!ip || !/^(0|[1-9][0-9]{0,2})$/.test(len)) return undefined;
  const prefix = Number(len);
  const bits = ip.family === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  const shift = BigInt(bits - prefix);
  return { text: s, family: ip.family, prefix, shift, network: (ip.value >> shift) << shift };
}

/** True when `ip` lies inside `cidr` (families must match). */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  return ip.family === cidr.family && ip.value >> cidr.shift === cidr.network >> cidr.shift;
}

/** True when `inner` is strictly smaller than `outer` and inside it. */
export function isStrictSubnet(outer: Cidr, inner: Cidr): boolean {
  return inner.family === outer.family && inner.prefix > outer.prefix && cidrContains(outer, { family: inner.family, value: inner.network });
}
