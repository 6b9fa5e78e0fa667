/**
 * Network policy engine benchmark: 10,000 pods in 100 namespaces of 20 tenants, under 1,000
 * policies (960 tenant NetworkPolicies of the usual shapes — default deny, tiered app allows,
 * team namespaces, monitoring, ipBlocks with except, named ports, port ranges — and 40 admin
 * policies: an emergency quarantine, no-low-to-high, monitoring, per-tenant isolation with Pass,
 * baseline defaults). Seeded, so every run sees the same inputs. Prints, each the median of 3 runs:
 * compile time, the full pod-to-pod matrix for one port, compile + matrix, single-verdict latency
 * (with explanation), and the cost of one pod label change applied incrementally.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/netpol.js [--pods 10000] [--policies 1000] [--runs 3]
 */
import type { PodEndpoint } from '../src/network/types.js';
import { Random } from '../src/clock/index.js';
import { compile, matrix, type AdminPolicy, type NetworkPolicy, type NetworkPolicySpec } from '../src/network/policy/index.js';
import { fmt, intArg, median, note, printTable, summarize } from './bench-util.js';

const NAMESPACES = 100;
const TENANTS = 20;
const ADMIN_POLICIES = 40;
const LEVELS = ['low', 'moderate', 'high'] as const;
const TIERS = ['web', 'api', 'db'] as const;
const CLUSTER = 'bench';
const PORT = 8080;

const nsName = (n: number): string => `ns-${n}`;
const tenantOf = (n: number): number => Math.floor(n / (NAMESPACES / TENANTS));

function pods(count: number, rng: Random): PodEndpoint[] {
  return Array.from({ length: count }, (_, i) => {
    const ns = i % NAMESPACES;
    const tenant = tenantOf(ns);
    const tier = TIERS[rng.int(0, 2)] as (typeof TIERS)[number];
    const labels: Record<string, string> = { app: `app-${rng.int(0, 9)}`, tier, version: rng.next() < 0.5 ? 'v1' : 'v2' };
    if (ns === 0 && i % 7 === 0) labels['app'] = 'prometheus';
    if (rng.next() < 0.002) labels['quarantine'] = 'true';
    return {
      kind: 'pod',
      cluster: CLUSTER,
      namespace: nsName(ns),
      name: `pod-${i}`,
      labels,
      namespaceLabels: { tenant: `t-${tenant}`, env: ns % 2 ? 'dev' : 'prod', team: `team-${ns % 10}` },
      ip: `10.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
      tenant: `t-${tenant}`,
      sensitivity: LEVELS[tenant % 3] as string,
      ports: [
        { name: 'http', port: PORT, protocol: 'TCP' },
        { name: 'metrics', port: 9090, protocol: 'TCP' },
        ...(tier === 'db' ? [{ name: 'db', port: 5432, protocol: 'TCP' as const }] : []),
      ],
    };
  });
}

/** The nine-or-ten NetworkPolicies of one namespace, in the shapes tenants write. */
function namespacePolicies(ns: number, rng: Random, extra: boolean): NetworkPolicy[] {
  const tier = (t: string): NetworkPolicySpec['podSelector'] => ({ matchLabels: { tier: t } });
  const specs: [string, NetworkPolicySpec][] = [
    ['default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }],
    ['web-from-anywhere', { podSelector: tier('web'), ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 'http' }] }] }],
    ['api-from-web', { podSelector: tier('api'), ingress: [{ from: [{ podSelector: tier('web') }], ports: [{ port: PORT }] }] }],
    ['db-from-api', { podSelector: tier('db'), ingress: [{ from: [{ podSelector: tier('api') }], ports: [{ port: 'db' }] }] }],
    [
      'from-team',
      { podSelector: { matchLabels: { app: `app-${rng.int(0, 9)}` } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: `team-${rng.int(0, 9)}` } } }] }] },
    ],
    [
      'monitoring',
      {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': nsName(0) } }, podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ port: 'metrics' }] }],
      },
    ],
    [
      'db-egress',
      {
        podSelector: tier('db'),
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/24'] } }] }, { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
      },
    ],
    [
      'apps-from-non-db',
      {
        podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [`app-${rng.int(0, 9)}`, `app-${rng.int(0, 9)}`] }] },
        ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] } }] }],
      },
    ],
    ['port-range', { podSelector: { matchLabels: { version: 'v2' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'prod' } } }], ports: [{ port: 8000, endPort: 8100 }] }] }],
  ];
  if (extra) specs.push(['from-office', { podSelector: tier('web'), ingress: [{ from: [{ ipBlock: { cidr: '192.168.0.0/16', except: ['192.168.13.0/24'] } }] }] }]);
  return specs.map(([name, spec]) => ({ cluster: CLUSTER, namespace: nsName(ns), name, spec }));
}

function networkPolicies(count: number, rng: Random): NetworkPolicy[] {
  const perNs = Math.floor(count / NAMESPACES);
  const extras = count - perNs * NAMESPACES;
  if (perNs > 9) throw new Error(`at most ${10 * NAMESPACES + ADMIN_POLICIES} policies (10 per namespace plus the admin policies)`);
  const out: NetworkPolicy[] = [];
  for (let ns = 0; ns < NAMESPACES; ns++) out.push(...namespacePolicies(ns, rng, ns < extras).slice(0, perNs + (ns < extras ? 1 : 0)));
  return out;
}

function adminPolicies(): AdminPolicy[] {
  const out: AdminPolicy[] = [
    { name: 'quarantine', spec: { tier: 'emergency', priority: 1, appliedTo: { podSelector: { matchLabels: { quarantine: 'true' } } }, rules: [{ action: 'Drop', direction: 'Ingress' }, { action: 'Drop', direction: 'Egress' }] } },
    { name: 'no-low-to-high', spec: { tier: 'platform', priority: 1, appliedTo: { sensitivities: ['high'] }, rules: [{ action: 'Drop', direction: 'Ingress', peers: [{ sensitivities: ['low'] }] }] } },
    { name: 'monitoring', spec: { tier: 'platform', priority: 2, appliedTo: {}, rules: [{ action: 'Allow', direction: 'Ingress', peers: [{ namespaces: [nsName(0)], podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ port: 'metrics' }] }] } },
  ];
  for (let t = 0; t < TENANTS; t++) {
    out.push({
      name: `tenant-${t}-isolation`,
      spec: {
        tier: 'platform',
        priority: 10 + t,
        appliedTo: { tenants: [`t-${t}`] },
        rules: [
          { name: 'same-tenant', action: 'Pass', direction: 'Ingress', peers: [{ tenants: [`t-${t}`] }] },
          { name: 'shared-web', action: 'Pass', direction: 'Ingress', ports: [{ port: 'http' }] },
          { name: 'others', action: 'Drop', direction: 'Ingress' },
        ],
      },
    });
  }
  for (let b = out.length; b < ADMIN_POLICIES; b++) {
    out.push({ name: `baseline-${b}`, spec: { tier: 'baseline', priority: b, appliedTo: { tenants: [`t-${b % TENANTS}`] }, rules: [{ action: 'Drop', direction: 'Ingress', peers: [{ namespaceSelector: { matchLabels: { env: 'dev' } } }] }] } });
  }
  return out;
}

interface RunFigures {
  readonly compileMs: number;
  readonly matrixMs: number;
  readonly totalMs: number;
  readonly allowedPct: number;
  readonly decideP50Us: number;
  readonly decideP99Us: number;
  readonly relabelP50Ms: number;
  readonly relabelP99Ms: number;
  readonly nsRelabelMs: number;
  readonly policyAddMs: number;
  readonly sets: number;
}

function run(podCount: number, policyCount: number, seed: number): RunFigures {
  const rng = new Random(seed);
  const ps = pods(podCount, rng.fork('pods'));
  const admin = adminPolicies();
  const nps = networkPolicies(policyCount - admin.length, rng.fork('policies'));
  const namespaces = Array.from({ length: NAMESPACES }, (_, n) => ({ cluster: CLUSTER, name: nsName(n), labels: ps[n]?.namespaceLabels ?? {} }));

  const t0 = performance.now();
  const engine = compile({ pods: ps, namespaces, networkPolicies: nps, adminPolicies: admin });
  const t1 = performance.now();
  const m = matrix(engine, ps, PORT, 'TCP');
  const t2 = performance.now();

  // the bulk matrix must agree with single verdicts
  const check = rng.fork('check');
  let allowed = 0;
  const samples = 2000;
  for (let k = 0; k < samples; k++) {
    const i = check.int(0, podCount - 1);
    const j = check.int(0, podCount - 1);
    const single = engine.decide(ps[i] as PodEndpoint, ps[j] as PodEndpoint, PORT, 'TCP').allowed;
    if (single !== m.allowed(i, j)) throw new Error(`matrix and decide disagree on pod-${i} -> pod-${j}`);
    if (single) allowed++;
  }

  const pick = rng.fork('decide');
  const pairs = Array.from({ length: 50_000 }, () => [pick.int(0, podCount - 1), pick.int(0, podCount - 1)] as const);
  for (const [i, j] of pairs.slice(0, 5000)) engine.decide(ps[i] as PodEndpoint, ps[j] as PodEndpoint, PORT, 'TCP'); // warm up
  const times: number[] = [];
  let reasonChars = 0;
  for (const [i, j] of pairs) {
    const s = performance.now();
    const d = engine.decide(ps[i] as PodEndpoint, ps[j] as PodEndpoint, PORT, 'TCP');
    times.push((performance.now() - s) * 1000);
    reasonChars += d.reason.length;
  }
  if (reasonChars === 0) throw new Error('no explanations');

  const relabel: number[] = [];
  const ch = rng.fork('relabel');
  for (let k = 0; k < 200; k++) {
    const p = ps[ch.int(0, podCount - 1)] as PodEndpoint;
    const next: PodEndpoint = { ...p, labels: { ...p.labels, tier: TIERS[ch.int(0, 2)] as string, app: `app-${ch.int(0, 9)}` } };
    const s = performance.now();
    engine.upsertPod(next);
    relabel.push(performance.now() - s);
  }

  let s = performance.now();
  engine.upsertNamespace({ cluster: CLUSTER, name: nsName(7), labels: { tenant: 't-1', env: 'prod', team: 'team-3' } });
  const nsRelabelMs = performance.now() - s;
  s = performance.now();
  engine.upsertNetworkPolicy({ cluster: CLUSTER, namespace: nsName(3), name: 'late', spec: { podSelector: { matchLabels: { tier: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'team-4' } } }] }] } });
  const policyAddMs = performance.now() - s;

  const d = summarize(times);
  const r = summarize(relabel);
  return {
    compileMs: t1 - t0,
    matrixMs: t2 - t1,
    totalMs: t2 - t0,
    allowedPct: (100 * allowed) / samples,
    decideP50Us: d.p50,
    decideP99Us: d.p99,
    relabelP50Ms: r.p50,
    relabelP99Ms: r.p99,
    nsRelabelMs,
    policyAddMs,
    sets: engine.stats().sets,
  };
}

const podCount = intArg('pods', 10_000);
const policyCount = intArg('policies', 1000);
const runs = intArg('runs', 3);
note(`netpol: ${podCount} pods, ${policyCount} policies (${ADMIN_POLICIES} admin), ${runs} runs (node ${process.version})`);
const figures: RunFigures[] = [];
for (let r = 0; r < runs; r++) {
  figures.push(run(podCount, policyCount, 42 + r));
  note(`run ${r + 1}: compile+matrix ${fmt(figures[r]!.totalMs, 0)} ms`);
}
const m = (f: (x: RunFigures) => number): number => median(figures.map(f));
printTable(
  `netpol: ${podCount} pods x ${policyCount} policies, port ${PORT}/TCP, median of ${runs} runs`,
  ['measure', 'value', 'target'],
  [
    ['compile (ms)', fmt(m((x) => x.compileMs), 0), ''],
    ['full pod-to-pod matrix (ms)', fmt(m((x) => x.matrixMs), 0), ''],
    ['compile + matrix (ms)', fmt(m((x) => x.totalMs), 0), '< 2000'],
    ['pairs allowed (%, sampled)', fmt(m((x) => x.allowedPct), 1), ''],
    ['decide with explanation p50 (µs)', fmt(m((x) => x.decideP50Us), 1), ''],
    ['decide with explanation p99 (µs)', fmt(m((x) => x.decideP99Us), 1), '< 50'],
    ['pod label change p50 (ms)', fmt(m((x) => x.relabelP50Ms), 3), ''],
    ['pod label change p99 (ms)', fmt(m((x) => x.relabelP99Ms), 3), '< 10'],
    ['namespace label change (ms)', fmt(m((x) => x.nsRelabelMs), 2), ''],
    ['policy add (ms)', fmt(m((x) => x.policyAddMs), 2), ''],
    ['interned membership sets', fmt(m((x) => x.sets), 0), ''],
  ],
);
