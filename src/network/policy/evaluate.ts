/**
 * One flow's verdict with its explanation: the §2.7 pipeline run for the source's egress side and,
 * when that allows, the destination's ingress side. Per side: emergency tier, platform tier (first
 * match by priority then rule order; Pass skips to the next stage), tenant NetworkPolicies
 * (isolated ⇒ allowed iff some rule of some isolating policy matches), baseline tier, default allow.
 */
import { ValidationError } from '../../api/index.js';
import { PROTOCOLS, type Decision, type Endpoint, type NamedPort, type Protocol, type RuleRef, type Tier } from '../types.js';
import type { AdminTier, Direction } from './admin-policy-schema.js';
import { hasBit } from './bitset.js';
import { parseIp, type IpAddress } from './cidr.js';
import type { CompiledAdminPolicy, CompiledAdminRule, CompiledRule } from './compiled-policy.js';
import { podKey, type PodRecord } from './pod-record.js';
import type { PodSet } from './pod-sets.js';
import type { PolicyState } from './policy-state.js';
import { portsMatch } from './ports.js';

/** An endpoint resolved against the state: a pod record (held or transient) or an address. */
interface Subject {
  readonly rec: PodRecord | undefined;
  readonly ip: IpAddress | undefined;
  readonly label: string;
}

/** One side's outcome and the clause that explains it. */
interface SideVerdict {
  readonly allowed: boolean;
  readonly action: 'Allow' | 'Drop' | 'Reject';
  readonly ref: RuleRef;
  readonly detail: string;
}

function resolve(state: PolicyState, e: Endpoint, field: string): Subject {
  if (e.kind === 'external') {
    const ip = parseIp(e.ip);
    if (!ip) throw ValidationError.field(`${field}.ip`, `${JSON.stringify(e.ip)} is not an IPv4 or IPv6 address`);
    return { rec: undefined, ip, label: e.ip };
  }
  const rec = state.podByKey(podKey(e)) ?? state.record(e, -1);
  return { rec, ip: rec.ip, label: `${e.namespace}/${e.name}` };
}

function inSet(set: PodSet, s: Subject): boolean {
  if (s.rec) return s.rec.slot >= 0 ? hasBit(set.bits, s.rec.slot) : set.def.matchPod(s.rec);
  return s.ip !== undefined && set.def.matchIp(s.ip);
}

function peersMatch(peers: readonly PodSet[] | undefined, s: Subject): boolean {
  if (peers === undefined) return true;
  for (const p of peers) if (inSet(p, s)) return true;
  return false;
}

interface Flow {
  readonly dir: Direction;
  readonly target: Subject;
  readonly peer: Subject;
  readonly dstPorts: readonly NamedPort[];
  readonly port: number;
  readonly protocol: Protocol;
}

function ruleMatches(rule: CompiledRule, f: Flow): boolean {
  return portsMatch(rule.ports, f.dstPorts, f.port, f.protocol) && peersMatch(rule.peers, f.peer);
}

function side(f: Flow): string {
  return f.dir === 'Ingress' ? `ingress to ${f.target.label}` : `egress from ${f.target.label}`;
}

function adminVerdict(f: Flow, tier: Tier, p: CompiledAdminPolicy, r: CompiledAdminRule, action: 'Allow' | 'Drop' | 'Reject'): SideVerdict {
  const verb = action === 'Allow' ? 'allowed' : action === 'Drop' ? 'dropped' : 'rejected';
  return {
    allowed: action === 'Allow',
    action,
    ref: { tier, policy: p.name, rule: r.label, action },
    detail: `${side(f)} ${verb} by admin policy ${p.name} (${tier} tier) rule ${r.label}`,
  };
}

/** First matching rule of the tier's policies applied to the target; `Pass` is returned as such. */
function firstMatch(state: PolicyState, tier: AdminTier, f: Flow): { p: CompiledAdminPolicy; r: CompiledAdminRule } | undefined {
  for (const p of state.adminOrder[tier]) {
    if (!inSet(p.appliedTo, f.target)) continue;
    for (const r of p.rules[f.dir]) if (ruleMatches(r, f)) return { p, r };
  }
  return undefined;
}

function evaluateSide(state: PolicyState, f: Flow): SideVerdict {
  let passed = '';
  for (const tier of ['emergency', 'platform'] as const) {
    const m = firstMatch(state, tier, f);
    if (!m) continue;
    if (m.r.action !== 'Pass') return adminVerdict(f, tier, m.p, m.r, m.r.action);
    passed = ` (passed to tenant policies by admin policy ${m.p.name} rule ${m.r.label})`;
    break;
  }
  const rec = f.target.rec as PodRecord;
  const isolating = state.isolating(f.dir, rec);
  if (isolating.length > 0) {
    for (const np of isolating) {
      for (const r of np.rules[f.dir]) {
        if (ruleMatches(r, f))
          return {
            allowed: true,
            action: 'Allow',
            ref: { tier: 'application', policy: np.ref, rule: r.label, action: 'Allow' },
            detail: `${side(f)} allowed by NetworkPolicy ${np.ref} rule ${r.label}${passed}`,
          };
      }
    }
    const first = isolating[0] as (typeof isolating)[number];
    const more = isolating.length > 1 ? ` and ${isolating.length - 1} more` : '';
    return {
      allowed: false,
      action: 'Drop',
      ref: { tier: 'application', policy: first.ref, rule: 'isolation', action: 'Isolate' },
      detail: `${side(f)} isolated by NetworkPolicy ${first.ref}${more}, and no rule allows ${f.peer.label} on ${f.protocol}/${f.port}${passed}`,
    };
  }
  const base = firstMatch(state, 'baseline', f);
  // Pass is rejected in the baseline tier at validation, so a match here is final
  if (base && base.r.action !== 'Pass') return adminVerdict(f, 'baseline', base.p, base.r, base.r.action);
  return {
    allowed: true,
    action: 'Allow',
    ref: { tier: 'default', action: 'DefaultAllow' },
    detail: `${side(f)} not isolated (default allow)${passed}`,
  };
}

/** Checks the port and protocol of a query. */
export function assertPortProtocol(port: number, protocol: Protocol): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw ValidationError.field('port', `must be between 1 and 65535, inclusive (got ${port})`);
  if (!PROTOCOLS.includes(protocol)) throw ValidationError.field('protocol', `unsupported value ${JSON.stringify(protocol)}; must be one of TCP, UDP, SCTP`);
}

const VERB = { Allow: 'allowed', Drop: 'denied', Reject: 'rejected' } as const;

/** The verdict on a new connection `from` → `to` on `port`/`protocol`, explained. */
export function decideFlow(state: PolicyState, from: Endpoint, to: Endpoint, port: number, protocol: Protocol): Decision {
  assertPortProtocol(port, protocol);
  const src = resolve(state, from, 'from');
  const dst = resolve(state, to, 'to');
  if (src.rec && dst.rec && src.rec.key === dst.rec.key) {
    // loopback never leaves the pod's network namespace: no policy can see it (upstream §1.2.11)
    return { allowed: true, action: 'Allow', decidedBy: { tier: 'default', rule: 'loopback', action: 'DefaultAllow' }, reason: `allowed: ${src.label} to itself is loopback, which policies do not govern` };
  }
  const dstPorts = dst.rec?.endpoint.ports ?? [];
  const egress = src.rec ? evaluateSide(state, { dir: 'Egress', target: src, peer: dst, dstPorts, port, protocol }) : undefined;
  if (egress && !egress.allowed) return { allowed: false, action: egress.action, decidedBy: egress.ref, reason: `${VERB[egress.action]}: ${egress.detail}`, egress: egress.ref };
  const ingress = dst.rec ? evaluateSide(state, { dir: 'Ingress', target: dst, peer: src, dstPorts, port, protocol }) : undefined;
  const sides = [ingress, egress].filter((s): s is SideVerdict => s !== undefined);
  const deciding = ingress && !ingress.allowed ? ingress : (sides.find((s) => s.ref.tier !== 'default') ?? sides[0]);
  const refs = { ...(egress ? { egress: egress.ref } : {}), ...(ingress ? { ingress: ingress.ref } : {}) };
  if (!deciding) {
    return { allowed: true, action: 'Allow', decidedBy: { tier: 'default', action: 'DefaultAllow' }, reason: `allowed: neither ${src.label} nor ${dst.label} is a pod, so no policy applies` };
  }
  const others = sides.filter((s) => s !== deciding).map((s) => `; ${s.detail}`);
  return { allowed: deciding.allowed, action: deciding.action, decidedBy: deciding.ref, reason: `${VERB[deciding.action]}: ${deciding.detail}${others.join('')}`, ...refs };
}
