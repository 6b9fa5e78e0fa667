import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../api/index.js';
import { cidrContains, cidrContainsCidr, cidrsOverlap, parseCidr, parseIpv4 } from './cidr.js';
import { compileIpamConfig } from './config.js';
import { CidrOverlapError, PoolExhaustedError, PoolInUseError } from './errors.js';
import { Ipam } from './ipam.js';

function platform(): Ipam {
  const ipam = new Ipam();
  ipam.allocateTenantBlock('acme');
  ipam.allocateTenantBlock('globex');
  ipam.allocateNodeSegment('acme', 'prod');
  ipam.allocateNamespaceSubnet('prod', 'web');
  return ipam;
}

describe('Ipam', () => {
  it('gives tenants disjoint /12 blocks, clusters a /24 node segment and namespaces a /24 pod subnet from them', () => {
    const ipam = platform();
    expect(ipam.tenantBlock('acme')).toBe('10.0.0.0/12');
    expect(ipam.tenantBlock('globex')).toBe('10.16.0.0/12');
    expect(ipam.nodeSegment('prod')).toEqual({ cidr: '10.0.0.0/24', gateway: '10.0.0.1' });
    expect(ipam.namespaceSubnet('prod', 'web')).toEqual({ cidr: '10.0.1.0/24', gateway: '10.0.1.1' });
    expect(ipam.allocateVmAddress('prod', 'prod-worker-0001')).toEqual({ address: '10.0.0.2', prefixLength: 24, gateway: '10.0.0.1', subnet: '10.0.0.0/24' });
    expect(ipam.allocatePodAddress('prod', 'web', 'web-0')).toEqual({ address: '10.0.1.2', prefixLength: 24, gateway: '10.0.1.1', subnet: '10.0.1.0/24' });
  });

  it('takes a smaller namespace subnet on request and never overlaps the cluster segment', () => {
    const ipam = platform();
    const small = ipam.allocateNamespaceSubnet('prod', 'batch', { prefix: 26 });
    expect(small).toEqual({ cidr: '10.0.2.0/26', gateway: '10.0.2.1' });
    expect(() => ipam.allocateNamespaceSubnet('prod', 'db', { cidr: '10.0.0.128/25' })).toThrow(CidrOverlapError);
    expect(() => ipam.allocateNamespaceSubnet('prod', 'db', { prefix: 31 })).toThrow(ValidationError);
    expect(ipam.namespaceSubnet('prod', 'db')).toBeUndefined();
  });

  it('skips the excluded service CIDR when handing out tenant blocks', () => {
    const ipam = new Ipam();
    const blocks = Array.from({ length: 15 }, (_, i) => ipam.allocateTenantBlock(`t${i}`));
    expect(blocks).not.toContain('10.96.0.0/12');
    expect(() => ipam.allocateTenantBlock('t15')).toThrow(PoolExhaustedError);
  });

  it('releases on delete, refusing while children hold addresses unless asked to cascade', () => {
    const ipam = platform();
    ipam.allocateVmAddress('prod', 'vm-1');
    ipam.allocatePodAddress('prod', 'web', 'web-0');
    expect(() => ipam.releaseNamespaceSubnet('prod', 'web')).toThrow(PoolInUseError);
    expect(ipam.releasePodAddress('prod', 'web', 'web-0')).toBe('10.0.1.2');
    expect(ipam.releasePodAddress('prod', 'web', 'web-0')).toBeUndefined();
    expect(ipam.releaseNamespaceSubnet('prod', 'web')).toBe('10.0.1.0/24');
    expect(() => ipam.releaseNodeSegment('prod')).toThrow(/cluster prod nodes" still holds 1 allocation/);
    expect(() => ipam.releaseTenantBlock('acme')).toThrow(PoolInUseError);
    expect(ipam.releaseTenantBlock('acme', { cascade: true })).toBe('10.0.0.0/12');
    expect(ipam.nodeSegment('prod')).toBeUndefined();
    expect(ipam.tenantBlock('acme')).toBeUndefined();
    expect(ipam.toState().clusters).toEqual({});
  });

  it('cascades a cluster release to its namespaces and frees their blocks for reuse', () => {
    const ipam = platform();
    ipam.allocatePodAddress('prod', 'web', 'web-0');
    ipam.releaseNodeSegment('prod', { cascade: true });
    expect(ipam.namespaceSubnet('prod', 'web')).toBeUndefined();
    ipam.allocateNodeSegment('acme', 'prod', { cidr: '10.0.1.0/24' });
    expect(ipam.nodeSegment('prod')?.cidr).toBe('10.0.1.0/24');
  });

  it('refuses work for unknown clusters and namespaces, and a cluster moving tenants', () => {
    const ipam = platform();
    expect(() => ipam.allocateVmAddress('nope', 'vm')).toThrow(NotFoundError);
    expect(() => ipam.allocatePodAddress('prod', 'nope', 'p')).toThrow(NotFoundError);
    expect(() => ipam.allocateNodeSegment('globex', 'prod')).toThrow(/belongs to tenant acme/);
    expect(() => ipam.allocateNodeSegment('initech', 'dev')).toThrow(NotFoundError);
  });

  it('says who holds an address', () => {
    const ipam = platform();
    ipam.allocateVmAddress('prod', 'vm-1');
    ipam.allocatePodAddress('prod', 'web', 'web-0');
    expect(ipam.lookup('10.0.1.2')).toEqual({ tenant: 'acme', cluster: 'prod', namespace: 'web', subnet: '10.0.1.0/24', kind: 'pod', name: 'web-0' });
    expect(ipam.lookup('10.0.0.2')).toEqual({ tenant: 'acme', cluster: 'prod', subnet: '10.0.0.0/24', kind: 'vm', name: 'vm-1' });
    expect(ipam.lookup('10.0.0.1')?.kind).toBe('gateway');
    expect(ipam.lookup('10.0.1.255')?.kind).toBe('broadcast');
    expect(ipam.lookup('10.0.1.9')?.kind).toBe('free');
    expect(ipam.lookup('10.16.0.5')).toBeUndefined();
    expect(ipam.lookup('172.16.0.1')).toBeUndefined();
  });

  it('rebuilds from JSON state after a restart and continues identically', () => {
    const ipam = platform();
    for (let i = 0; i < 5; i++) ipam.allocatePodAddress('prod', 'web', `web-${i}`);
    ipam.releasePodAddress('prod', 'web', 'web-1');
    const copy = Ipam.fromState(JSON.parse(JSON.stringify(ipam.toState())));
    expect(copy.toState()).toEqual(ipam.toState());
    expect(copy.allocatePodAddress('prod', 'web', 'web-9')).toEqual(ipam.allocatePodAddress('prod', 'web', 'web-9'));
    expect(copy.allocateTenantBlock('initech')).toBe(ipam.allocateTenantBlock('initech'));
  });

  it('refuses inconsistent state', () => {
    const state = platform().toState();
    const web = state.namespaces['prod/web'];
    if (!web) throw new Error('fixture lacks prod/web');
    const ghost = { ...web, name: 'namespace prod/ghost', cidr: '10.0.9.0/24', next: '10.0.9.2' };
    expect(() => Ipam.fromState({ ...state, namespaces: { ...state.namespaces, 'prod/ghost': ghost } })).toThrow(/pod subnet 10\.0\.9\.0\/24 is not allocated/);
  });

  it('validates the plan, naming each bad field', () => {
    try {
      compileIpamConfig({ platformPool: '10.0.0.1/8', nodeSegmentPrefix: 31, excluded: ['nope'] });
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).causes.map((c) => c.field)).toEqual(['platformPool', 'nodeSegmentPrefix', 'excluded[0]']);
    }
    expect(() => compileIpamConfig({ tenantBlockPrefix: 4 })).toThrow(/tenantBlockPrefix/);
  });

  it('holds 100k pod addresses in one namespace without a duplicate', () => {
    const ipam = new Ipam({ namespaceSubnetPrefix: 15 });
    ipam.allocateTenantBlock('acme');
    ipam.allocateNodeSegment('acme', 'big');
    const subnet = parseCidr(ipam.allocateNamespaceSubnet('big', 'pods').cidr);
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) {
      const ip = parseIpv4(ipam.allocatePodAddress('big', 'pods', `p${i}`).address);
      expect(cidrContains(subnet, ip)).toBe(true);
      seen.add(ip);
    }
    expect(seen.size).toBe(100_000);
    expect(subnet.prefix).toBe(15);
    const copy = Ipam.fromState(ipam.toState());
    expect(copy.lookup(ipam.allocatePodAddress('big', 'pods', 'p0').address)?.name).toBe('p0');
    expect(copy.toState()).toEqual(ipam.toState());
  });

  it('property: across tenants, clusters and namespaces no live address or block is shared, and each address is in its subnet', () => {
    type Op =
      | { kind: 'tenant'; t: number }
      | { kind: 'dropTenant'; t: number }
      | { kind: 'cluster'; t: number; c: number }
      | { kind: 'dropCluster'; c: number }
      | { kind: 'ns'; c: number; n: number; prefix: number }
      | { kind: 'dropNs'; c: number; n: number }
      | { kind: 'pod'; c: number; n: number; p: number }
      | { kind: 'dropPod'; c: number; n: number; p: number }
      | { kind: 'vm'; c: number; v: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('tenant' as const), t: fc.nat({ max: 2 }) }),
      fc.record({ kind: fc.constant('dropTenant' as const), t: fc.nat({ max: 2 }) }),
      fc.record({ kind: fc.constant('cluster' as const), t: fc.nat({ max: 2 }), c: fc.nat({ max: 3 }) }),
      fc.record({ kind: fc.constant('dropCluster' as const), c: fc.nat({ max: 3 }) }),
      fc.record({ kind: fc.constant('ns' as const), c: fc.nat({ max: 3 }), n: fc.nat({ max: 3 }), prefix: fc.integer({ min: 27, max: 29 }) }),
      fc.record({ kind: fc.constant('dropNs' as const), c: fc.nat({ max: 3 }), n: fc.nat({ max: 3 }) }),
      fc.record({ kind: fc.constant('pod' as const), c: fc.nat({ max: 3 }), n: fc.nat({ max: 3 }), p: fc.nat({ max: 12 }) }),
      fc.record({ kind: fc.constant('dropPod' as const), c: fc.nat({ max: 3 }), n: fc.nat({ max: 3 }), p: fc.nat({ max: 12 }) }),
      fc.record({ kind: fc.constant('vm' as const), c: fc.nat({ max: 3 }), v: fc.nat({ max: 8 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120, size: 'max' }), (ops) => {
        // Small blocks so that exhaustion and reuse happen often.
        const ipam = new Ipam({ platformPool: '10.0.0.0/22', tenantBlockPrefix: 24, nodeSegmentPrefix: 28, namespaceSubnetPrefix: 28, excluded: [] });
        for (const o of ops) {
          try {
            switch (o.kind) {
              case 'tenant':
                ipam.allocateTenantBlock(`t${o.t}`);
                break;
              case 'dropTenant':
                ipam.releaseTenantBlock(`t${o.t}`, { cascade: true });
                break;
              case 'cluster':
                ipam.allocateNodeSegment(`t${o.t}`, `c${o.c}`);
                break;
              case 'dropCluster':
                ipam.releaseNodeSegment(`c${o.c}`, { cascade: true });
                break;
              case 'ns':
                ipam.allocateNamespaceSubnet(`c${o.c}`, `n${o.n}`, { prefix: o.prefix });
                break;
              case 'dropNs':
                ipam.releaseNamespaceSubnet(`c${o.c}`, `n${o.n}`, { cascade: true });
                break;
              case 'pod':
                ipam.allocatePodAddress(`c${o.c}`, `n${o.n}`, `p${o.p}`);
                break;
              case 'dropPod':
                ipam.releasePodAddress(`c${o.c}`, `n${o.n}`, `p${o.p}`);
                break;
              case 'vm':
                ipam.allocateVmAddress(`c${o.c}`, `v${o.v}`);
                break;
            }
          } catch (e) {
            if (!(e instanceof PoolExhaustedError || e instanceof NotFoundError || e instanceof ValidationError)) throw e;
          }
          const s = ipam.toState();
          const blocks = Object.values(s.tenantBlocks.allocations).map((c) => parseCidr(c));
          const subnets: { cidr: ReturnType<typeof parseCidr>; addresses: string[] }[] = [
            ...Object.values(s.clusters).map((c) => ({ cidr: parseCidr(c.nodes.cidr), addresses: Object.values(c.nodes.allocations) })),
            ...Object.values(s.namespaces).map((n) => ({ cidr: parseCidr(n.cidr), addresses: Object.values(n.allocations) })),
          ];
          const all = [...blocks.map((b, i) => [b, i] as const)];
          for (const [a, i] of all) for (const [b, j] of all) if (i < j) expect(cidrsOverlap(a, b)).toBe(false);
          for (const [i, a] of subnets.entries()) {
            expect(blocks.some((b) => cidrContainsCidr(b, a.cidr))).toBe(true);
            for (const b of subnets.slice(i + 1)) expect(cidrsOverlap(a.cidr, b.cidr)).toBe(false);
            for (const addr of a.addresses) expect(cidrContains(a.cidr, parseIpv4(addr))).toBe(true);
          }
          const addresses = subnets.flatMap((x) => x.addresses);
          expect(new Set(addresses).size).toBe(addresses.length);
        }
      }),
      { numRuns: 150 },
    );
  });
});
