/**
 * The bulk form of the pipeline: for one port/protocol, which pod may open a connection to which,
 * for every pod the engine holds at once. Each side is computed as sets (bitsets over slots) rather
 * than pair by pair: the egress row of a source is the set of destinations its pipeline allows;
 * the ingress column of a destination is the set of sources its pipeline allows. Pods with the same
 * applicable policies share one computed row or column (a signature cache); the columns are then
 * transposed 32x32 bits at a time and ANDed with the rows.
 */
import type { Protocol } from '../types.js';
import type { AdminTier, Direction } from './admin-policy-schema.js';
import { andNotInto, andTo, hasBit, orInto, setBit, transpose32, wordsFor, type Bits } from './bitset.js';
import type { CompiledAdminPolicy, CompiledAdminRule, CompiledNetworkPolicy, CompiledRule } from './compiled-policy.js';
import type { PodRecord } from './pod-record.js';
import type { PolicyState } from './policy-state.js';
import { numericPortMatch, servingPortNames } from './ports.js';

/** `rows[s * words ..]` is the set of slots pod `s` may connect to. */
export interface Reachability {
  readonly version: number;
  readonly port: number;
  readonly protocol: Protocol;
  readonly words: number;
  readonly rows: Uint32Array;
}

const ADMIN_FIRST: readonly AdminTier[] = ['emergency', 'platform'];

/** Per-call memo of rule peer unions and named-port pod sets. */
class Scratch {
  private readonly unions = new Map<CompiledRule, Bits>();
  private readonly named = new Map<string, Bits>();

  constructor(
    readonly state: PolicyState,
    readonly port: number,
    readonly protocol: Protocol,
  ) {}

  /** Slots matching any of the rule's peers (every live slot when the rule has none). */
  peers(rule: CompiledRule): Bits {
    let u = this.unions.get(rule);
    if (u) return u;
    if (rule.peers === undefined) u = this.state.live;
    else if (rule.peers.length === 1) u = (rule.peers[0] as (typeof rule.peers)[number]).bits;
    else {
      u = new Uint32Array(this.state.words);
      for (const p of rule.peers) orInto(u, p.bits);
    }
    this.unions.set(rule, u);
    return u;
  }

  /** Slots of pods serving `port`/`protocol` on a container port named `name`. */
  private servingNamed(name: string): Bits {
    let b = this.named.get(name);
    if (b) return b;
    b = new Uint32Array(this.state.words);
    const out = b;
    this.state.forEachPod((p) => {
      for (const c of p.endpoint.ports) if (c.name === name && c.port === this.port && c.protocol === this.protocol) setBit(out, p.slot);
    });
    this.named.set(name, b);
    return b;
  }

  private readonly egress = new Map<CompiledRule, Bits | undefined>();

  /** Egress: the destinations a rule matches at this port (named ports resolve on each destination); undefined = none. */
  egressTargets(rule: CompiledRule): Bits | undefined {
    if (this.egress.has(rule)) return this.egress.get(rule);
    let out: Bits | undefined;
    if (numericPortMatch(rule.ports, this.port, this.protocol)) out = this.peers(rule);
    else {
      const names = rule.ports.named.filter((n) => n.protocol === this.protocol);
      if (names.length > 0) {
        out = new Uint32Array(this.state.words);
        for (const n of names) orInto(out, this.servingNamed(n.name));
        andTo(out, out, this.peers(rule));
      }
    }
    this.egress.set(rule, out);
    return out;
  }

  /** Ingress: the sources a rule matches for a destination serving `dstNames` at this port; undefined = none. */
  ingressSources(rule: CompiledRule, dstNames: readonly string[]): Bits | undefined {
    if (numericPortMatch(rule.ports, this.port, this.protocol)) return this.peers(rule);
    for (const n of rule.ports.named) if (n.protocol === this.protocol && dstNames.includes(n.name)) return this.peers(rule);
    return undefined;
  }
}

type Targets = (rule: CompiledRule) => Bits | undefined;

/** First-match over ordered admin rules: decided peers leave `open`; Allow adds them to `allowed`, Pass to `passed`. */
function firstMatchSets(rules: readonly CompiledAdminRule[], targets: Targets, open: Bits, allowed: Bits, passed: Bits | undefined, tmp: Bits): void {
  for (const r of rules) {
    const t = targets(r);
    if (!t) continue;
    andTo(tmp, t, open);
    if (r.action === 'Allow') orInto(allowed, tmp);
    else if (r.action === 'Pass' && passed) orInto(passed, tmp);
    andNotInto(open, tmp);
  }
}

/** One side's allowed peer set for a target, given the policies that apply to it. */
function sideSet(s: Scratch, dir: Direction, admin: readonly CompiledAdminPolicy[], isolating: readonly CompiledNetworkPolicy[], targets: Targets): Bits {
  const words = s.state.words;
  const open = Uint32Array.from(s.state.live);
  const allowed = new Uint32Array(words);
  const passed = new Uint32Array(words);
  const tmp = new Uint32Array(words);
  for (const p of admin) if (p.tier !== 'baseline') firstMatchSets(p.rules[dir], targets, open, allowed, passed, tmp);
  // what no emergency/platform rule decided, plus what was passed, goes to the tenant stage
  orInto(open, passed);
  if (isolating.length > 0) {
    const npAllowed = new Uint32Array(words);
    for (const np of isolating) for (const r of np.rules[dir]) {
      const t = targets(r);
      if (t) orInto(npAllowed, t);
    }
    andTo(tmp, open, npAllowed);
    orInto(allowed, tmp);
    return allowed;
  }
  for (const p of admin) if (p.tier === 'baseline') firstMatchSets(p.rules[dir], targets, open, allowed, undefined, tmp);
  orInto(allowed, open); // default allow
  return allowed;
}

/** Admin policies applying to a pod, in evaluation order. */
function applicableAdmin(state: PolicyState, slot: number): CompiledAdminPolicy[] {
  const out: CompiledAdminPolicy[] = [];
  for (const tier of [...ADMIN_FIRST, 'baseline'] as const) for (const p of state.adminOrder[tier]) if (hasBit(p.appliedTo.bits, slot)) out.push(p);
  return out;
}

function signature(admin: readonly CompiledAdminPolicy[], isolating: readonly CompiledNetworkPolicy[], extra: string): string {
  let sig = '';
  for (const p of admin) sig += `${p.id},`;
  sig += '|';
  for (const np of isolating) sig += `${np.id},`;
  return `${sig}|${extra}`;
}

/** Computes the reachability of every held pod to every other on `port`/`protocol`. */
export function computeReachability(state: PolicyState, port: number, protocol: Protocol): Reachability {
  // rows span the slots in use, not the table's capacity (which grows by doubling)
  const words = wordsFor(state.slots.length);
  const n = words * 32;
  const s = new Scratch(state, port, protocol);
  const zero = new Uint32Array(state.words);
  const egressRows: Bits[] = new Array<Bits>(n).fill(zero);
  const ingressCols: Bits[] = new Array<Bits>(n).fill(zero);
  const egressCache = new Map<string, Bits>();
  const ingressCache = new Map<string, Bits>();
  const egressTargets: Targets = (r) => s.egressTargets(r);
  state.forEachPod((p: PodRecord) => {
    const admin = applicableAdmin(state, p.slot);
    const eIso = state.isolating('Egress', p);
    const eSig = signature(admin, eIso, '');
    let row = egressCache.get(eSig);
    if (!row) egressCache.set(eSig, (row = sideSet(s, 'Egress', admin, eIso, egressTargets)));
    egressRows[p.slot] = row;
    const iIso = state.isolating('Ingress', p);
    const names = servingPortNames(p.endpoint.ports, port, protocol).sort();
    const iSig = signature(admin, iIso, names.join(','));
    let col = ingressCache.get(iSig);
    if (!col) ingressCache.set(iSig, (col = sideSet(s, 'Ingress', admin, iIso, (r) => s.ingressSources(r, names))));
    ingressCols[p.slot] = col;
  });
  // rows[src] = egressRows[src] AND (column bits of src across all destinations)
  const rows = new Uint32Array(n * words);
  const block = new Uint32Array(32);
  for (let db = 0; db < words; db++) {
    for (let w = 0; w < words; w++) {
      for (let k = 0; k < 32; k++) block[k] = (ingressCols[(db << 5) + k] as Bits)[w]!;
      transpose32(block);
      for (let i = 0; i < 32; i++) rows[((w << 5) + i) * words + db] = block[i]!;
    }
  }
  state.forEachPod((p) => {
    const base = p.slot * words;
    const e = egressRows[p.slot] as Bits;
    for (let w = 0; w < words; w++) rows[base + w] = rows[base + w]! & e[w]!;
    rows[base + (p.slot >>> 5)] = rows[base + (p.slot >>> 5)]! | (1 << (p.slot & 31)); // loopback
  });
  for (let slot = 0; slot < n; slot++) if (!state.slots[slot]) rows.fill(0, slot * words, (slot + 1) * words);
  return { version: state.version, port, protocol, words, rows };
}
