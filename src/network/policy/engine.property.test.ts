/**
 * Invariants of the compiled engine on random worlds (fast-check):
 *  - it agrees with the reference evaluator written from the spec, verdict and deciding rule alike;
 *  - the bulk reachability agrees with per-flow decisions;
 *  - incremental updates end in the same state as compiling the final inputs from scratch;
 *  - adding rules for pods that are already isolated never turns an allowed flow into a denied one;
 *  - a Drop evaluated first in the emergency tier always wins, whatever tenants and other admins write;
 *  - a batch with an invalid change leaves the engine exactly as it was.
 *   BULKHEAD_PROPERTY_RUNS=1000 npx vitest run src/network/policy/engine.property.test.ts
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../api/index.js';
import type { Decision, PodEndpoint } from '../types.js';
import type { AdminPolicy, GroupSpec } from './admin-policy-schema.js';
import { arbAdminPolicy, arbNetworkPolicy, arbPod, arbWorld, npSpec, podSelector, probes, RUNS, type Probe } from './arbitraries.test-util.js';
import type { PolicyChange } from './changes.js';
import { compile, type PolicyEngine, type PolicyInput } from './engine.js';
import { effectivePolicyTypes, type NetworkPolicy } from './network-policy-schema.js';
import { Oracle } from './oracle.test-util.js';

const key = (p: { cluster: string; namespace: string; name: string }): string => `${p.cluster}/${p.namespace}/${p.name}`;
const verdict = (d: Decision): Pick<Decision, 'allowed' | 'action' | 'decidedBy'> => ({ allowed: d.allowed, action: d.action, decidedBy: d.decidedBy });
const decisions = (e: PolicyEngine, ps: readonly Probe[]): Decision[] => ps.map((p) => e.decide(p.from, p.to, p.port, p.protocol));

describe('policy engine properties', () => {
  it('agrees with the reference evaluator on every flow', () => {
    fc.assert(
      fc.property(arbWorld(), (world) => {
        const engine = compile(world);
        const oracle = new Oracle(world);
        for (const p of probes(world.pods)) {
          const got = verdict(engine.decide(p.from, p.to, p.port, p.protocol));
          expect(got, `${JSON.stringify(p)}`).toEqual(oracle.decide(p.from, p.to, p.port, p.protocol));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('bulk reachability agrees with per-flow decisions', () => {
    fc.assert(
      fc.property(arbWorld(20, 40), (world) => {
        const engine = compile(world);
        for (const [port, protocol] of [[80, 'TCP'], [81, 'TCP'], [80, 'UDP'], [81, 'UDP']] as const) {
          const r = engine.reachability(port, protocol);
          for (const from of world.pods) {
            const s = engine.slotOf(from);
            for (const to of world.pods) {
              const t = engine.slotOf(to);
              const bulk = ((r.rows[s * r.words + (t >>> 5)]! >>> (t & 31)) & 1) === 1;
              expect(bulk, `${key(from)} -> ${key(to)} ${port}/${protocol}`).toBe(engine.decide(from, to, port, protocol).allowed);
            }
          }
        }
      }),
      { numRuns: Math.max(10, Math.floor(RUNS / 3)) },
    );
  });

  it('incremental updates are equivalent to a full recompile', () => {
    type Op =
      | { readonly kind: 'pod'; readonly pod: PodEndpoint }
      | { readonly kind: 'removePod'; readonly index: number }
      | { readonly kind: 'np'; readonly policy: NetworkPolicy }
      | { readonly kind: 'removeNp'; readonly index: number }
      | { readonly kind: 'ns'; readonly name: string; readonly env: string | undefined }
      | { readonly kind: 'admin'; readonly policy: AdminPolicy }
      | { readonly kind: 'removeAdmin'; readonly index: number }
      | { readonly kind: 'group'; readonly spec: GroupSpec };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.integer({ min: 0, max: 14 }).chain((i) => arbPod(i)).map((pod) => ({ kind: 'pod' as const, pod })),
      fc.nat().map((index) => ({ kind: 'removePod' as const, index })),
      fc.integer({ min: 0, max: 5 }).chain((i) => arbNetworkPolicy(`np${i}`)).map((policy) => ({ kind: 'np' as const, policy })),
      fc.nat().map((index) => ({ kind: 'removeNp' as const, index })),
      fc.record({ kind: fc.constant('ns' as const), name: fc.constantFrom('x', 'y', 'z'), env: fc.constantFrom('prod', 'dev', undefined) }),
      fc.integer({ min: 0, max: 3 }).chain((i) => arbAdminPolicy(`adm${i}`)).map((policy) => ({ kind: 'admin' as const, policy })),
      fc.nat().map((index) => ({ kind: 'removeAdmin' as const, index })),
      podSelector.map((s) => ({ kind: 'group' as const, spec: { podSelector: s } })),
    );
    fc.assert(
      fc.property(arbWorld(), fc.array(op, { maxLength: 12 }), (world, ops) => {
        const engine = compile(world);
        const state = {
          pods: new Map(world.pods.map((p) => [key(p), p])),
          nps: new Map(world.networkPolicies.map((p) => [key(p), p])),
          namespaces: new Map(world.namespaces.map((n) => [n.name, n])),
          admin: new Map(world.adminPolicies.map((p) => [p.name, p])),
          groups: new Map(world.groups.map((g) => [g.name, g])),
        };
        const nth = <T>(m: Map<string, T>, i: number): [string, T] | undefined => [...m][i % Math.max(1, m.size)];
        for (const o of ops) {
          const change = ((): PolicyChange | undefined => {
            switch (o.kind) {
              case 'pod':
                state.pods.set(key(o.pod), o.pod);
                return { op: 'upsertPod', pod: o.pod };
              case 'removePod': {
                const hit = nth(state.pods, o.index);
                if (!hit) return undefined;
                state.pods.delete(hit[0]);
                return { op: 'removePod', pod: hit[1] };
              }
              case 'np':
                state.nps.set(key(o.policy), o.policy);
                return { op: 'upsertNetworkPolicy', policy: o.policy };
              case 'removeNp': {
                const hit = nth(state.nps, o.index);
                if (!hit) return undefined;
                state.nps.delete(hit[0]);
                return { op: 'removeNetworkPolicy', policy: hit[1] };
              }
              case 'ns': {
                if (o.env === undefined) {
                  state.namespaces.delete(o.name);
                  return { op: 'removeNamespace', namespace: { cluster: 'c1', name: o.name } };
                }
                const namespace = { cluster: 'c1', name: o.name, labels: { env: o.env } };
                state.namespaces.set(o.name, namespace);
                return { op: 'upsertNamespace', namespace };
              }
              case 'admin':
                state.admin.set(o.policy.name, o.policy);
                return { op: 'upsertAdminPolicy', policy: o.policy };
              case 'removeAdmin': {
                const hit = nth(state.admin, o.index);
                if (!hit) return undefined;
                state.admin.delete(hit[0]);
                return { op: 'removeAdminPolicy', name: hit[0] };
              }
              case 'group':
                state.groups.set('g1', { name: 'g1', spec: o.spec });
                return { op: 'upsertGroup', group: { name: 'g1', spec: o.spec } };
            }
          })();
          if (change) engine.update([change]);
        }
        const final: PolicyInput = {
          pods: [...state.pods.values()],
          networkPolicies: [...state.nps.values()],
          namespaces: [...state.namespaces.values()],
          adminPolicies: [...state.admin.values()],
          groups: [...state.groups.values()],
        };
        const fresh = compile(final);
        const ps = probes(final.pods ?? []);
        expect(decisions(engine, ps)).toEqual(decisions(fresh, ps));
        for (const p of final.pods ?? []) expect(engine.pod(p)).toEqual(fresh.pod(p));
        const [a, b] = [engine.reachability(81, 'TCP'), fresh.reachability(81, 'TCP')];
        for (const from of final.pods ?? [])
          for (const to of final.pods ?? []) {
            const bit = (r: typeof a, e: PolicyEngine): number => {
              const [s, t] = [e.slotOf(from), e.slotOf(to)];
              return (r.rows[s * r.words + (t >>> 5)]! >>> (t & 31)) & 1;
            };
            expect(bit(a, engine)).toBe(bit(b, fresh));
          }
      }),
      { numRuns: RUNS },
    );
  });

  it('adding rules for already-isolated pods never turns an allowed flow into a denied one', () => {
    fc.assert(
      fc.property(
        arbWorld().filter((w) => w.networkPolicies.length > 0),
        fc.nat(),
        npSpec,
        (world, pick, extra) => {
          const base = world.networkPolicies[pick % world.networkPolicies.length] as NetworkPolicy;
          // same pods, same directions as an existing policy: the isolation set cannot grow
          const added: NetworkPolicy = { ...base, name: 'added', spec: { ...extra, podSelector: base.spec.podSelector, policyTypes: [...effectivePolicyTypes(base.spec)] } };
          const engine = compile(world);
          const ps = probes(world.pods);
          const before = decisions(engine, ps);
          engine.upsertNetworkPolicy(added);
          const after = decisions(engine, ps);
          before.forEach((d, i) => {
            if (d.allowed) expect(after[i]?.allowed, JSON.stringify(ps[i])).toBe(true);
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a Drop first in the emergency tier always wins', () => {
    fc.assert(
      fc.property(arbWorld(), fc.constantFrom<GroupSpec>({ tenants: ['t1'] }, { sensitivities: ['high'] }, { namespaces: ['y'] }, {}), (world, target) => {
        const kill: AdminPolicy = { name: 'a0-kill', spec: { tier: 'emergency', priority: 1, appliedTo: target, rules: [{ action: 'Drop', direction: 'Ingress' }] } };
        const allowAll: AdminPolicy = { name: 'a1-allow', spec: { tier: 'emergency', priority: 1, appliedTo: {}, rules: [{ action: 'Allow', direction: 'Ingress' }] } };
        const engine = compile({ ...world, adminPolicies: [...world.adminPolicies, kill, allowAll] });
        const oracle = new Oracle({ ...world, adminPolicies: [kill] });
        for (const p of probes(world.pods)) {
          if (p.to.kind !== 'pod' || (p.from.kind === 'pod' && key(p.from) === key(p.to))) continue;
          const selected = (target.tenants ?? [p.to.tenant]).includes(p.to.tenant) && (target.sensitivities ?? [p.to.sensitivity]).includes(p.to.sensitivity) && (target.namespaces ?? [p.to.namespace]).includes(p.to.namespace);
          if (!selected) continue;
          const d = engine.decide(p.from, p.to, p.port, p.protocol);
          expect(d.allowed).toBe(false);
          // either the source's own egress side stopped it first, or the emergency Drop did
          if (d.decidedBy.policy !== 'a0-kill') expect(d.egress).toEqual(d.decidedBy);
          expect(oracle.decide(p.from, p.to, p.port, p.protocol).allowed).toBe(false);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a batch with an invalid change leaves the engine untouched', () => {
    fc.assert(
      fc.property(arbWorld(), arbNetworkPolicy('np9'), arbPod(3), (world, policy, pod) => {
        const engine = compile(world);
        const ps = probes(world.pods);
        const before = decisions(engine, ps);
        const version = engine.stats().version;
        const invalid: NetworkPolicy = { ...policy, name: 'bad', spec: { podSelector: {}, ingress: [{ ports: [{ port: 90, endPort: 80 }] }] } };
        expect(() =>
          engine.update([
            { op: 'upsertNetworkPolicy', policy },
            { op: 'upsertPod', pod: { ...pod, labels: { moved: 'yes' } } },
            { op: 'removeNamespace', namespace: { cluster: 'c1', name: 'x' } },
            { op: 'upsertNetworkPolicy', policy: invalid },
          ]),
        ).toThrow(ValidationError);
        expect(engine.stats().version).toBe(version);
        expect(decisions(engine, ps)).toEqual(before);
      }),
      { numRuns: Math.max(10, Math.floor(RUNS / 3)) },
    );
  });
});
