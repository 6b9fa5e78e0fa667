/**
 * Membership sets: each selector, peer, ipBlock or group the policies use becomes a predicate over
 * pods, interned by a canonical key (equal selectors in many policies share one set) and kept as a
 * bitset over pod slots. A pod change re-evaluates only the sets that can contain it: those scoped
 * to its namespace plus the unscoped ones.
 */
import type { GroupSpec } from './admin-policy-schema.js';
import { clearBit, resized, setBit, type Bits } from './bitset.js';
import { cidrContains, parseCidr, type Cidr, type IpAddress } from './cidr.js';
import { compileSelector, type CompiledSelector } from './label-selector.js';
import { namespaceKey, type PodRecord } from './pod-record.js';

/** A predicate over endpoints, identified by `key`. */
export interface SetDef {
  readonly key: string;
  /** When set, only pods of this namespace (`cluster/ns`) can match. */
  readonly scope: string | undefined;
  /** True when a namespace relabel can change membership. */
  readonly usesNamespaceLabels: boolean;
  matchPod(p: PodRecord): boolean;
  /** For addresses the engine holds no pod for; false for pod-only predicates. */
  matchIp(ip: IpAddress): boolean;
}

/** An interned set: its predicate and the slots of the pods it contains. */
export interface PodSet {
  readonly def: SetDef;
  bits: Bits;
  refs: number;
}

const never = (): boolean => false;

/** Pods of one namespace matching a pod selector (a policy's podSelector; a peer without namespaceSelector). */
export function podsInNamespace(cluster: string, namespace: string, podSel: CompiledSelector): SetDef {
  const scope = namespaceKey(cluster, namespace);
  return {
    key: `ns|${scope}|${podSel.key}`,
    scope,
    usesNamespaceLabels: false,
    matchPod: podSel.matchesAll ? (p) => p.nsKey === scope : (p) => p.nsKey === scope && podSel.matches(p.endpoint.labels),
    matchIp: never,
  };
}

/** Pods in one cluster whose namespace matches `nsSel` and whose labels match `podSel` (a namespaceSelector peer). */
export function podsBySelectors(cluster: string, nsSel: CompiledSelector, podSel: CompiledSelector): SetDef {
  return {
    key: `sel|${cluster}|${nsSel.key}|${podSel.key}`,
    scope: undefined,
    usesNamespaceLabels: true,
    matchPod: (p) => p.endpoint.cluster === cluster && nsSel.matches(p.endpoint.namespaceLabels) && podSel.matches(p.endpoint.labels),
    matchIp: never,
  };
}

function ipMatcher(cidrs: readonly Cidr[], except: readonly Cidr[]): (ip: IpAddress) => boolean {
  return (ip) => cidrs.some((c) => cidrContains(c, ip)) && !except.some((c) => cidrContains(c, ip));
}

/** Addresses in `cidr` but in no `except` block: pods by their IP (any cluster) and external addresses. */
export function ipBlockSet(cidr: string, except: readonly string[]): SetDef {
  const matchIp = ipMatcher([parseCidr(cidr) as Cidr], except.map((e) => parseCidr(e) as Cidr));
  return {
    key: `ip|${cidr}|${[...except].sort().join(',')}`,
    scope: undefined,
    usesNamespaceLabels: false,
    matchPod: (p) => p.ip !== undefined && matchIp(p.ip),
    matchIp,
  };
}

function anyOf(list: readonly string[] | undefined): ((v: string) => boolean) | undefined {
  if (list === undefined) return undefined;
  const set = new Set(list);
  return (v) => set.has(v);
}

/** An admin group: every given attribute must match; ipBlocks groups match addresses instead. */
export function groupSet(spec: GroupSpec): SetDef {
  const key = `group|${canonicalGroup(spec)}`;
  if (spec.ipBlocks !== undefined) {
    const matchIp = ipMatcher(spec.ipBlocks.map((b) => parseCidr(b.cidr) as Cidr), []);
    return { key, scope: undefined, usesNamespaceLabels: false, matchPod: (p) => p.ip !== undefined && matchIp(p.ip), matchIp };
  }
  const tests: ((p: PodRecord) => boolean)[] = [];
  const tenant = anyOf(spec.tenants);
  if (tenant) tests.push((p) => tenant(p.endpoint.tenant));
  const level = anyOf(spec.sensitivities);
  if (level) tests.push((p) => level(p.endpoint.sensitivity));
  const cluster = anyOf(spec.clusters);
  if (cluster) tests.push((p) => cluster(p.endpoint.cluster));
  const ns = anyOf(spec.namespaces);
  if (ns) tests.push((p) => ns(p.endpoint.namespace));
  if (spec.namespaceSelector) {
    const sel = compileSelector(spec.namespaceSelector);
    tests.push((p) => sel.matches(p.endpoint.namespaceLabels));
  }
  if (spec.podSelector) {
    const sel = compileSelector(spec.podSelector);
    tests.push((p) => sel.matches(p.endpoint.labels));
  }
  return {
    key,
    scope: undefined,
    usesNamespaceLabels: spec.namespaceSelector !== undefined,
    matchPod: (p) => tests.every((t) => t(p)),
    matchIp: never,
  };
}

function canonicalGroup(spec: GroupSpec): string {
  const sorted = (l: readonly string[] | undefined): string[] | null => (l === undefined ? null : [...l].sort());
  return JSON.stringify([
    sorted(spec.tenants),
    sorted(spec.sensitivities),
    sorted(spec.clusters),
    sorted(spec.namespaces),
    spec.namespaceSelector ? compileSelector(spec.namespaceSelector).key : null,
    spec.podSelector ? compileSelector(spec.podSelector).key : null,
    sorted(spec.ipBlocks?.map((b) => b.cidr)),
  ]);
}

/** Where the index finds pods when it fills a new set. */
export interface PodSource {
  forEachPod(fn: (p: PodRecord) => void): void;
  forEachPodIn(nsKey: string, fn: (p: PodRecord) => void): void;
}

/** The interned sets, reference-counted by the compiled policies that use them. */
export class PodSetIndex {
  private readonly byKey = new Map<string, PodSet>();
  private readonly scoped = new Map<string, Set<PodSet>>();
  private readonly unscoped = new Set<PodSet>();

  constructor(private words: number) {}

  get size(): number {
    return this.byKey.size;
  }

  /** The set for `def`, filled from `pods` when it is new; one more reference either way. */
  acquire(def: SetDef, pods: PodSource): PodSet {
    const existing = this.byKey.get(def.key);
    if (existing) {
      existing.refs++;
      return existing;
    }
    const set: PodSet = { def, bits: new Uint32Array(this.words), refs: 1 };
    const fill = (p: PodRecord): void => {
      if (def.matchPod(p)) setBit(set.bits, p.slot);
    };
    if (def.scope !== undefined) pods.forEachPodIn(def.scope, fill);
    else pods.forEachPod(fill);
    this.byKey.set(def.key, set);
    if (def.scope !== undefined) {
      let bucket = this.scoped.get(def.scope);
      if (!bucket) this.scoped.set(def.scope, (bucket = new Set()));
      bucket.add(set);
    } else this.unscoped.add(set);
    return set;
  }

  /** Drops one reference; the set is forgotten when none remain. */
  release(set: PodSet): void {
    if (--set.refs > 0) return;
    this.byKey.delete(set.def.key);
    if (set.def.scope === undefined) this.unscoped.delete(set);
    else {
      const bucket = this.scoped.get(set.def.scope);
      bucket?.delete(set);
      if (bucket?.size === 0) this.scoped.delete(set.def.scope);
    }
  }

  /** Re-evaluates every set that can contain `p` (a new or changed pod). */
  updatePod(p: PodRecord): void {
    const apply = (set: PodSet): void => {
      if (set.def.matchPod(p)) setBit(set.bits, p.slot);
      else clearBit(set.bits, p.slot);
    };
    this.scoped.get(p.nsKey)?.forEach(apply);
    this.unscoped.forEach(apply);
  }

  /** Re-evaluates the sets that read namespace labels, for pods of a relabelled namespace. */
  updateNamespaceLabels(pods: readonly PodRecord[]): void {
    for (const set of this.unscoped) {
      if (!set.def.usesNamespaceLabels) continue;
      for (const p of pods) {
        if (set.def.matchPod(p)) setBit(set.bits, p.slot);
        else clearBit(set.bits, p.slot);
      }
    }
  }

  /** Clears a removed pod's slot everywhere (slots are reused). */
  removePod(slot: number, nsKey: string): void {
    this.scoped.get(nsKey)?.forEach((s) => clearBit(s.bits, slot));
    this.unscoped.forEach((s) => clearBit(s.bits, slot));
  }

  /** Widens every set to `words` words (the pod table grew). */
  grow(words: number): void {
    this.words = words;
    for (const s of this.byKey.values()) s.bits = resized(s.bits, words);
  }
}
