/**
 * A reference evaluator written straight from the spec (network-security.md §1.3 pseudocode and
 * the §2.7 pipeline), over the raw inputs with no compilation, bitsets or caches — slow and
 * obviously correct, for property tests to hold the compiled engine against.
 */
import type { Endpoint, NamedPort, PodEndpoint, Protocol, RuleRef, Tier } from '../types.js';
import type { AdminPolicy, Direction, GroupSelector, GroupSpec } from './admin-policy-schema.js';
import { cidrContains, parseCidr, parseIp, type Cidr } from './cidr.js';
import type { PolicyInput } from './engine.js';
import type { LabelSelector } from './label-selector.js';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from './network-policy-schema.js';

export interface OracleVerdict {
  readonly allowed: boolean;
  readonly action: 'Allow' | 'Drop' | 'Reject';
  readonly decidedBy: RuleRef;
}

type Labels = Readonly<Record<string, string>>;

function sel(s: LabelSelector | undefined, labels: Labels): boolean {
  if (!s) return true;
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) if (!(k in labels) || labels[k] !== v) return false;
  for (const e of s.matchExpressions ?? []) {
    const has = k(labels, e.key);
    const vals = e.values ?? [];
    if (e.operator === 'In' && !(has && vals.includes(labels[e.key] as string))) return false;
    if (e.operator === 'NotIn' && has && vals.includes(labels[e.key] as string)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function k(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

function inCidr(ip: string, cidr: string): boolean {
  const a = parseIp(ip);
  return a !== undefined && cidrContains(parseCidr(cidr) as Cidr, a);
}

export class Oracle {
  constructor(private readonly world: PolicyInput) {}

  private nsLabels(p: PodEndpoint): Labels {
    const declared = this.world.namespaces?.find((n) => n.cluster === p.cluster && n.name === p.namespace);
    return { ...(declared ? declared.labels : p.namespaceLabels), 'kubernetes.io/metadata.name': p.namespace };
  }

  private held(e: Endpoint): Endpoint {
    if (e.kind === 'external') return e;
    return this.world.pods?.find((p) => p.cluster === e.cluster && p.namespace === e.namespace && p.name === e.name) ?? e;
  }

  private npPeer(peer: NetworkPolicyPeer, np: NetworkPolicy, o: Endpoint): boolean {
    if (peer.ipBlock) {
      const block = peer.ipBlock;
      return o.ip !== '' && inCidr(o.ip, block.cidr) && !(block.except ?? []).some((x) => inCidr(o.ip, x));
    }
    if (o.kind !== 'pod' || o.cluster !== np.cluster) return false;
    const nsOk = peer.namespaceSelector ? sel(peer.namespaceSelector, this.nsLabels(o)) : o.namespace === np.namespace;
    return nsOk && sel(peer.podSelector, o.labels);
  }

  private static ports(ports: readonly NetworkPolicyPort[] | undefined, dst: Endpoint, port: number, proto: Protocol): boolean {
    if (!ports || ports.length === 0) return true;
    const dstPorts: readonly NamedPort[] = dst.kind === 'pod' ? dst.ports : [];
    return ports.some((e) => {
      if ((e.protocol ?? 'TCP') !== proto) return false;
      if (e.port === undefined) return true;
      if (typeof e.port === 'number') return e.endPort !== undefined ? e.port <= port && port <= e.endPort : e.port === port;
      return dstPorts.some((c) => c.name === e.port && c.protocol === proto && c.port === port);
    });
  }

  private static types(np: NetworkPolicy): Direction[] {
    const t = np.spec.policyTypes;
    if (t && t.length > 0) return [...t];
    return (np.spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }

  private group(g: GroupSelector): GroupSpec {
    return g.group === undefined ? g : ((this.world.groups ?? []).find((x) => x.name === g.group)?.spec ?? {});
  }

  private groupMatch(gs: GroupSelector, o: Endpoint): boolean {
    const g = this.group(gs);
    if (g.ipBlocks) return o.ip !== '' && g.ipBlocks.some((b) => inCidr(o.ip, b.cidr));
    if (o.kind !== 'pod') return false;
    return (
      (!g.tenants || g.tenants.includes(o.tenant)) &&
      (!g.sensitivities || g.sensitivities.includes(o.sensitivity)) &&
      (!g.clusters || g.clusters.includes(o.cluster)) &&
      (!g.namespaces || g.namespaces.includes(o.namespace)) &&
      (!g.namespaceSelector || sel(g.namespaceSelector, this.nsLabels(o))) &&
      (!g.podSelector || sel(g.podSelector, o.labels))
    );
  }

  private admin(tier: Tier): AdminPolicy[] {
    return (this.world.adminPolicies ?? [])
      .filter((p) => p.spec.tier === tier)
      .sort((a, b) => a.spec.priority - b.spec.priority || (a.name < b.name ? -1 : 1));
  }

  private firstAdmin(tier: Tier, dir: Direction, target: PodEndpoint, peer: Endpoint, dst: Endpoint, port: number, proto: Protocol): RuleRef | undefined {
    for (const p of this.admin(tier)) {
      if (!this.groupMatch(p.spec.appliedTo, target)) continue;
      for (const [i, r] of p.spec.rules.entries()) {
        if (r.direction !== dir) continue;
        const peerOk = !r.peers || r.peers.length === 0 || r.peers.some((g) => this.groupMatch(g, peer));
        if (peerOk && Oracle.ports(r.ports, dst, port, proto)) return { tier, policy: p.name, rule: r.name ?? `rules[${i}]`, action: r.action };
      }
    }
    return undefined;
  }

  private side(dir: Direction, target: PodEndpoint, peer: Endpoint, dst: Endpoint, port: number, proto: Protocol): OracleVerdict {
    for (const tier of ['emergency', 'platform'] as const) {
      const ref = this.firstAdmin(tier, dir, target, peer, dst, port, proto);
      if (!ref) continue;
      if (ref.action === 'Pass') break;
      return { allowed: ref.action === 'Allow', action: ref.action as OracleVerdict['action'], decidedBy: ref };
    }
    const isolating = (this.world.networkPolicies ?? [])
      .filter((np) => np.cluster === target.cluster && np.namespace === target.namespace && sel(np.spec.podSelector, target.labels) && Oracle.types(np).includes(dir))
      .sort((a, b) => (`${a.cluster}/${a.namespace}/${a.name}` < `${b.cluster}/${b.namespace}/${b.name}` ? -1 : 1));
    if (isolating.length > 0) {
      for (const np of isolating) {
        const rules = dir === 'Ingress' ? (np.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })) : (np.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
        for (const [i, r] of rules.entries()) {
          const peerOk = !r.peers || r.peers.length === 0 || r.peers.some((p) => this.npPeer(p, np, peer));
          if (peerOk && Oracle.ports(r.ports, dst, port, proto))
            return { allowed: true, action: 'Allow', decidedBy: { tier: 'application', policy: `${np.namespace}/${np.name}`, rule: `${dir.toLowerCase()}[${i}]`, action: 'Allow' } };
        }
      }
      const first = isolating[0] as NetworkPolicy;
      return { allowed: false, action: 'Drop', decidedBy: { tier: 'application', policy: `${first.namespace}/${first.name}`, rule: 'isolation', action: 'Isolate' } };
    }
    const base = this.firstAdmin('baseline', dir, target, peer, dst, port, proto);
    if (base) return { allowed: base.action === 'Allow', action: base.action as OracleVerdict['action'], decidedBy: base };
    return { allowed: true, action: 'Allow', decidedBy: { tier: 'default', action: 'DefaultAllow' } };
  }

  decide(fromIn: Endpoint, toIn: Endpoint, port: number, proto: Protocol): OracleVerdict {
    const from = this.held(fromIn);
    const to = this.held(toIn);
    if (from.kind === 'pod' && to.kind === 'pod' && from.cluster === to.cluster && from.namespace === to.namespace && from.name === to.name)
      return { allowed: true, action: 'Allow', decidedBy: { tier: 'default', rule: 'loopback', action: 'DefaultAllow' } };
    const egress = from.kind === 'pod' ? this.side('Egress', from, to, to, port, proto) : undefined;
    if (egress && !egress.allowed) return egress;
    const ingress = to.kind === 'pod' ? this.side('Ingress', to, from, to, port, proto) : undefined;
    if (ingress && !ingress.allowed) return ingress;
    const sides = [ingress, egress].filter((s): s is OracleVerdict => s !== undefined);
    return sides.find((s) => s.decidedBy.tier !== 'default') ?? sides[0] ?? { allowed: true, action: 'Allow', decidedBy: { tier: 'default', action: 'DefaultAllow' } };
  }
}
