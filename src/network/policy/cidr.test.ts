/** Address and CIDR parsing and containment, IPv4 and IPv6. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrContains, isStrictSubnet, parseCidr, parseIp, type Cidr } from './cidr.js';

describe('parseIp / parseCidr', () => {
  it.each(['10.0.0.1', '0.0.0.0', '255.255.255.255', '::', '::1', 'fd00::1', '2001:db8:0:0:0:0:2:1', '::ffff:10.0.0.1', 'fe80::'])('parses %s', (s) => {
    expect(parseIp(s)).toBeDefined();
  });

  it.each(['10.0.0', '10.0.0.256', '10.00.0.1', '1.2.3.4.5', 'a.b.c.d', '', ':::', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', 'fd00::g'])('rejects %s', (s) => {
    expect(parseIp(s)).toBeUndefined();
  });

  it('expands :: and embedded IPv4 to the same value as the long form', () => {
    expect(parseIp('2001:db8::2:1')).toEqual(parseIp('2001:db8:0:0:0:0:2:1'));
    expect(parseIp('::ffff:10.0.0.1')).toEqual(parseIp('0:0:0:0:0:ffff:a00:1'));
  });

  it.each(['10.0.0.0/8', '10.1.2.3/24', '0.0.0.0/0', 'fd00::/64', '::/0', '1.2.3.4/32'])('parses CIDR %s', (s) => {
    expect(parseCidr(s)).toBeDefined();
  });

  it.each(['10.0.0.0', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/08', 'fd00::/129', '10.0.0.0/', '/8'])('rejects CIDR %s', (s) => {
    expect(parseCidr(s)).toBeUndefined();
  });

  it('contains by prefix, ignoring host bits of the CIDR', () => {
    const c = parseCidr('10.1.2.3/16') as Cidr;
    expect(cidrContains(c, parseIp('10.1.255.255')!)).toBe(true);
    expect(cidrContains(c, parseIp('10.2.0.0')!)).toBe(false);
    expect(cidrContains(c, parseIp('::a01:0')!)).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('1.2.3.4')!)).toBe(true);
    expect(cidrContains(parseCidr('fd00::/8')!, parseIp('fdff::1')!)).toBe(true);
  });

  it('strict subnet: smaller and inside', () => {
    expect(isStrictSubnet(parseCidr('10.0.0.0/8')!, parseCidr('10.1.0.0/16')!)).toBe(true);
    expect(isStrictSubnet(parseCidr('10.0.0.0/8')!, parseCidr('10.0.0.0/8')!)).toBe(false);
    expect(isStrictSubnet(parseCidr('10.0.0.0/16')!, parseCidr('10.0.0.0/8')!)).toBe(false);
    expect(isStrictSubnet(parseCidr('10.0.0.0/8')!, parseCidr('11.0.0.0/16')!)).toBe(false);
  });

  it('property: an IPv4 address is inside its own /n for every n, and round-trips through dotted form', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, n) => {
        const addr = parseIp(ip);
        expect(addr?.family).toBe(4);
        expect(cidrContains(parseCidr(`${ip}/${n}`)!, addr!)).toBe(true);
      }),
    );
  });

  it('property: IPv6 addresses parse, and a /n contains exactly the addresses sharing the first n bits', () => {
    fc.assert(
      fc.property(fc.ipV6(), fc.ipV6(), fc.integer({ min: 0, max: 128 }), (a, b, n) => {
        const x = parseIp(a);
        const y = parseIp(b);
        expect(x?.family).toBe(6);
        const shift = BigInt(128 - n);
        expect(cidrContains(parseCidr(`${a}/${n}`)!, y!)).toBe(x!.value >> shift === y!.value >> shift);
      }),
    );
  });
});
