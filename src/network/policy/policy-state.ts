/**
 * The engine's compiled state: the pod table (one slot per pod, reused after removal), declared
 * namespaces, the interned membership sets, the compiled NetworkPolicies and admin policies, and
 * per pod the NetworkPolicies isolating it in each direction. Every `put*`/`delete*` here takes
 * already-validated, already-planned input and cannot fail, which is what makes a batch atomic.
 */
import type { PodEndpoint } from '../types.js';
import type { AdminTier, Direction, GroupSpec } from './admin-policy-schema.js';
import { clearBit, hasBit, resized, setBit, wordsFor, type Bits } from './bitset.js';
import { parseIp } from './cidr.js';
import {
  bindAdminPolicy,
  bindNetworkPolicy,
  planAdminPolicy,
  setsOf,
  type AdminPolicyOf,
  type CompiledAdminPolicy,
  type CompiledNetworkPolicy,
  type NetworkPolicyOf,
} from './compiled-policy.js';
import type { Labels } from './label-selector.js';
import { NAMESPACE_NAME_LABEL, namespaceKey, podKey, type PodRecord } from './pod-record.js';
import { PodSetIndex, type PodSet, type PodSource, type SetDef } from './pod-sets.js';

const INITIAL_CAPACITY = 1024;

export class PolicyState implements PodSource {
  /** Bumped by every applied change; caches derived from the state key on it. */
  version = 0;
  private capacity = INITIAL_CAPACITY;
  readonly slots: (PodRecord | undefined)[] = [];
  private readonly free: number[] = [];
  private readonly slotByKey = new Map<string, number>();
  private readonly podsByNs = new Map<string, Set<number>>();
  /** Live slots. */
  live: Bits = new Uint32Array(wordsFor(INITIAL_CAPACITY));
  private readonly namespaces = new Map<string, Labels>();
  readonly sets = new PodSetIndex(wordsFor(INITIAL_CAPACITY));
  readonly networkPolicies = new Map<string, CompiledNetworkPolicy>();
  private readonly npsByNs = new Map<string, Map<string, CompiledNetworkPolicy>>();
  readonly adminPolicies = new Map<string, CompiledAdminPolicy>();
  /** Admin policies of each tier in evaluation order (priority, then name). */
  adminOrder: Readonly<Record<AdminTier, readonly CompiledAdminPolicy[]>> = { emergency: [], platform: [], baseline: [] };
  readonly groups = new Map<string, GroupSpec>();
  /** Per slot, the NetworkPolicies isolating the pod in each direction (sorted by key). */
  private readonly isolation: Record<Direction, (readonly CompiledNetworkPolicy[])[]> = { Ingress: [], Egress: [] };

  // ---- reads ----

  podByKey(key: string): PodRecord | undefined {
    const slot = this.slotByKey.get(key);
    return slot === undefined ? undefined : this.slots[slot];
  }

  forEachPod(fn: (p: PodRecord) => void): void {
    for (const p of this.slots) if (p) fn(p);
  }

  forEachPodIn(nsKey: string, fn: (p: PodRecord) => void): void {
    for (const slot of this.podsByNs.get(nsKey) ?? []) fn(this.slots[slot] as PodRecord);
  }

  get podCount(): number {
    return this.slotByKey.size;
  }

  /** Words per bitset (slots / 32, rounded up). */
  get words(): number {
    return wordsFor(this.capacity);
  }

  /** The NetworkPolicies isolating `pod` for `dir`; computed on the fly for a pod the engine does not hold. */
  isolating(dir: Direction, pod: PodRecord): readonly CompiledNetworkPolicy[] {
    if (pod.slot >= 0) return this.isolation[dir][pod.slot] ?? [];
    const out: CompiledNetworkPolicy[] = [];
    for (const np of this.npsByNs.get(pod.nsKey)?.values() ?? []) if (np.isolates[dir] && np.selected.def.matchPod(pod)) out.push(np);
    return out.sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  /** A record for `pod` with its effective namespace labels, at `slot` (-1: not held). */
  record(pod: PodEndpoint, slot: number): PodRecord {
    const nsKey = namespaceKey(pod.cluster, pod.namespace);
    const declared = this.namespaces.get(nsKey);
    const namespaceLabels = declared ?? { ...pod.namespaceLabels, [NAMESPACE_NAME_LABEL]: pod.namespace };
    return { slot, key: podKey(pod), nsKey, endpoint: { ...pod, namespaceLabels }, source: pod, ip: pod.ip === '' ? undefined : parseIp(pod.ip) };
  }

  // ---- pods and namespaces ----

  putPod(pod: PodEndpoint): void {
    const key = podKey(pod);
    let slot = this.slotByKey.get(key);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.slots.length;
      if (slot >= this.capacity) this.grow();
      this.slotByKey.set(key, slot);
      const nsKey = namespaceKey(pod.cluster, pod.namespace);
      let bucket = this.podsByNs.get(nsKey);
      if (!bucket) this.podsByNs.set(nsKey, (bucket = new Set()));
      bucket.add(slot);
      setBit(this.live, slot);
    }
    const rec = this.record(pod, slot);
    this.slots[slot] = rec;
    this.sets.updatePod(rec);
    this.refreshIsolation(slot);
    this.version++;
  }

  deletePod(key: string): void {
    const slot = this.slotByKey.get(key);
    if (slot === undefined) return;
    const rec = this.slots[slot] as PodRecord;
    this.sets.removePod(slot, rec.nsKey);
    clearBit(this.live, slot);
    this.slots[slot] = undefined;
    this.slotByKey.delete(key);
    const bucket = this.podsByNs.get(rec.nsKey);
    bucket?.delete(slot);
    if (bucket?.size === 0) this.podsByNs.delete(rec.nsKey);
    this.isolation.Ingress[slot] = [];
    this.isolation.Egress[slot] = [];
    this.free.push(slot);
    this.version++;
  }

  /** Declares a namespace's labels (authoritative over the pods' own copies); undefined removes the declaration. */
  putNamespace(cluster: string, name: string, labels: Labels | undefined): void {
    const nsKey = namespaceKey(cluster, name);
    if (labels === undefined) this.namespaces.delete(nsKey);
    else this.namespaces.set(nsKey, { ...labels, [NAMESPACE_NAME_LABEL]: name });
    const recs: PodRecord[] = [];
    this.forEachPodIn(nsKey, (p) => {
      // without a declaration a pod falls back to the namespace labels it was upserted with
      const rec = this.record(p.source, p.slot);
      this.slots[p.slot] = rec;
      recs.push(rec);
    });
    this.sets.updateNamespaceLabels(recs);
    this.version++;
  }

  private grow(): void {
    this.capacity *= 2;
    const words = wordsFor(this.capacity);
    this.sets.grow(words);
    this.live = resized(this.live, words);
  }

  // ---- policies ----

  private acquire = (def: SetDef): PodSet => this.sets.acquire(def, this);

  putNetworkPolicy(plan: NetworkPolicyOf<SetDef>): void {
    const np = bindNetworkPolicy(plan, this.acquire);
    const old = this.networkPolicies.get(np.key);
    this.networkPolicies.set(np.key, np);
    let bucket = this.npsByNs.get(np.nsKey);
    if (!bucket) this.npsByNs.set(np.nsKey, (bucket = new Map()));
    bucket.set(np.key, np);
    this.refreshIsolationOf(np.nsKey);
    if (old) setsOf(old).forEach((s) => this.sets.release(s));
    this.version++;
  }

  deleteNetworkPolicy(key: string): void {
    const old = this.networkPolicies.get(key);
    if (!old) return;
    this.networkPolicies.delete(key);
    const bucket = this.npsByNs.get(old.nsKey);
    bucket?.delete(key);
    if (bucket?.size === 0) this.npsByNs.delete(old.nsKey);
    this.refreshIsolationOf(old.nsKey);
    setsOf(old).forEach((s) => this.sets.release(s));
    this.version++;
  }

  putAdminPolicy(plan: AdminPolicyOf<SetDef>): void {
    const p = bindAdminPolicy(plan, this.acquire);
    const old = this.adminPolicies.get(p.name);
    this.adminPolicies.set(p.name, p);
    this.reorderAdmin();
    if (old) setsOf(old).forEach((s) => this.sets.release(s));
    this.version++;
  }

  deleteAdminPolicy(name: string): void {
    const old = this.adminPolicies.get(name);
    if (!old) return;
    this.adminPolicies.delete(name);
    this.reorderAdmin();
    setsOf(old).forEach((s) => this.sets.release(s));
    this.version++;
  }

  /** Sets a named group and recompiles the admin policies that reference it. */
  putGroup(name: string, spec: GroupSpec): void {
    this.groups.set(name, spec);
    for (const p of [...this.adminPolicies.values()]) if (p.groupRefs.includes(name)) this.putAdminPolicy(planAdminPolicy(p.source, this.groups));
    this.version++;
  }

  /** Removes a group no policy references (the caller checked). */
  deleteGroup(name: string): void {
    this.groups.delete(name);
    this.version++;
  }

  private reorderAdmin(): void {
    const order = { emergency: [] as CompiledAdminPolicy[], platform: [] as CompiledAdminPolicy[], baseline: [] as CompiledAdminPolicy[] };
    for (const p of this.adminPolicies.values()) order[p.tier].push(p);
    for (const list of Object.values(order)) list.sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.adminOrder = order;
  }

  // ---- isolation lists ----

  private refreshIsolation(slot: number): void {
    const rec = this.slots[slot] as PodRecord;
    const ingress: CompiledNetworkPolicy[] = [];
    const egress: CompiledNetworkPolicy[] = [];
    for (const np of this.npsByNs.get(rec.nsKey)?.values() ?? []) {
      if (!hasBit(np.selected.bits, slot)) continue;
      if (np.isolates.Ingress) ingress.push(np);
      if (np.isolates.Egress) egress.push(np);
    }
    const byKey = (a: CompiledNetworkPolicy, b: CompiledNetworkPolicy): number => (a.key < b.key ? -1 : 1);
    this.isolation.Ingress[slot] = ingress.sort(byKey);
    this.isolation.Egress[slot] = egress.sort(byKey);
  }

  private refreshIsolationOf(nsKey: string): void {
    for (const slot of this.podsByNs.get(nsKey) ?? []) this.refreshIsolation(slot);
  }
}
