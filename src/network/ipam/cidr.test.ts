import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../api/index.js';
import {
  cidrAddress,
  cidrContains,
  cidrContainsCidr,
  cidrLast,
  cidrOf,
  cidrSize,
  cidrsOverlap,
  formatCidr,
  formatIpv4,
  isCidr,
  parseCidr,
  parseIpv4,
  prefixMask,
  tryParseCidr,
  tryParseIpv4,
} from './cidr.js';

const ip = (s: string) => parseIpv4(s);
const cidr = (s: string) => parseCidr(s);

describe('IPv4 addresses', () => {
  it.each([
    ['0.0.0.0', 0],
    ['10.0.0.1', 0x0a000001],
    ['192.168.1.255', 0xc0a801ff],
    ['255.255.255.255', 0xffffffff],
  ])('parses and formats %s', (text, value) => {
    expect(parseIpv4(text)).toBe(value);
    expect(formatIpv4(value)).toBe(text);
  });

  it.each(['', '10.0.0', '10.0.0.0.1', '256.0.0.1', '10.0.0.-1', '010.0.0.1', '10.0.0.01', ' 10.0.0.1', '10.0.0.1 ', '1e1.0.0.1', '0x0a.0.0.1', '10..0.1'])(
    'rejects %j',
    (text) => {
      expect(tryParseIpv4(text)).toBeUndefined();
      expect(() => parseIpv4(text, 'spec.address')).toThrow(ValidationError);
    },
  );

  it('names the field in the error', () => {
    try {
      parseIpv4('10.0.0.300', 'spec.clusterIP');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).causes[0]?.field).toBe('spec.clusterIP');
      expect((e as ValidationError).message).toContain('300 is over 255');
    }
  });
});

describe('CIDRs', () => {
  it('handles /0: every address, 2^32 of them', () => {
    const all = cidr('0.0.0.0/0');
    expect(cidrSize(all)).toBe(2 ** 32);
    expect(cidrLast(all)).toBe(0xffffffff);
    expect(cidrContains(all, ip('255.255.255.255'))).toBe(true);
    expect(cidrContains(all, 0)).toBe(true);
    expect(prefixMask(0)).toBe(0);
    expect(cidrsOverlap(all, cidr('10.1.2.3/32'))).toBe(true);
    expect(formatCidr(all)).toBe('0.0.0.0/0');
  });

  it('handles /32: one address, only itself', () => {
    const one = cidr('10.1.2.3/32');
    expect(cidrSize(one)).toBe(1);
    expect(cidrLast(one)).toBe(one.network);
    expect(cidrContains(one, ip('10.1.2.3'))).toBe(true);
    expect(cidrContains(one, ip('10.1.2.4'))).toBe(false);
    expect(prefixMask(32)).toBe(0xffffffff);
  });

  it('handles /31: two addresses (RFC 3021 point-to-point)', () => {
    const p2p = cidr('10.0.0.6/31');
    expect(cidrSize(p2p)).toBe(2);
    expect(cidrContains(p2p, ip('10.0.0.7'))).toBe(true);
    expect(cidrContains(p2p, ip('10.0.0.8'))).toBe(false);
    expect(() => parseCidr('10.0.0.7/31')).toThrow(/host bits/);
  });

  it('refuses host bits by default, and masks them when not strict (as ipBlock does)', () => {
    expect(() => parseCidr('10.0.0.5/24', { field: 'spec.cidr' })).toThrow(/did you mean 10\.0\.0\.0\/24/);
    expect(formatCidr(parseCidr('10.0.0.5/24', { strict: false }))).toBe('10.0.0.0/24');
    expect(isCidr('10.0.0.5/24')).toBe(false);
    expect(isCidr('10.0.0.5/24', { strict: false })).toBe(true);
  });

  it.each(['10.0.0.0', '10.0.0.0/', '10.0.0.0/33', '10.0.0.0/08', '10.0.0.0/-1', '10.0.0/8', '300.0.0.0/8', '10.0.0.0/8/8', 'fd00::/8'])(
    'rejects %j naming the field',
    (text) => {
      expect(tryParseCidr(text, { strict: false })).toBeUndefined();
      try {
        parseCidr(text, { field: 'platformPool' });
        expect.unreachable();
      } catch (e) {
        expect((e as ValidationError).causes[0]?.field).toBe('platformPool');
      }
    },
  );

  it.each([
    ['10.0.0.0/8', '10.1.0.0/16', true, true],
    ['10.0.0.0/24', '10.0.1.0/24', false, false],
    ['10.0.0.0/23', '10.0.1.0/24', true, true],
    ['10.0.1.0/24', '10.0.0.0/23', false, true],
    ['10.0.0.0/24', '10.0.0.0/24', true, true],
    ['10.0.0.255/32', '10.0.1.0/32', false, false],
  ])('%s contains %s: %s, overlaps: %s', (a, b, contains, overlaps) => {
    expect(cidrContainsCidr(cidr(a), cidr(b))).toBe(contains);
    expect(cidrsOverlap(cidr(a), cidr(b))).toBe(overlaps);
    expect(cidrsOverlap(cidr(b), cidr(a))).toBe(overlaps);
  });

  it('indexes addresses inside a prefix and refuses offsets outside it', () => {
    const c = cidr('10.16.1.0/24');
    expect(formatIpv4(cidrAddress(c, 0))).toBe('10.16.1.0');
    expect(formatIpv4(cidrAddress(c, 255))).toBe('10.16.1.255');
    expect(() => cidrAddress(c, 256)).toThrow(RangeError);
    expect(() => cidrAddress(c, -1)).toThrow(RangeError);
  });

  const arbIp = fc.integer({ min: 0, max: 0xffffffff });
  const arbPrefix = fc.integer({ min: 0, max: 32 });
  const arbCidr = fc.tuple(arbIp, arbPrefix).map(([a, p]) => cidrOf(a, p));

  it('property: text round-trips, and a prefix contains exactly its interval', () => {
    fc.assert(
      fc.property(arbCidr, arbIp, (c, a) => {
        expect(parseCidr(formatCidr(c))).toEqual(c);
        expect(parseIpv4(formatIpv4(a))).toBe(a);
        expect(cidrContains(c, a)).toBe(a >= c.network && a <= cidrLast(c));
        expect(cidrContains(cidrOf(a, c.prefix), a)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('property: overlap and containment agree with interval arithmetic', () => {
    fc.assert(
      fc.property(arbCidr, arbCidr, (a, b) => {
        const intersect = a.network <= cidrLast(b) && b.network <= cidrLast(a);
        expect(cidrsOverlap(a, b)).toBe(intersect);
        expect(cidrContainsCidr(a, b)).toBe(a.network <= b.network && cidrLast(b) <= cidrLast(a));
      }),
      { numRuns: 500 },
    );
  });
});
