// DRS end to end on the real server: a skewed zone gets recommendations (imbalance before/after,
// the cost of each move) shown by `bulkhead drs recommendations`; `drs apply` turns one into a
// VmMigration that the migration controller carries out; contradicting rules are refused naming
// both; in fullyAutomated mode the loop (pass, migrations, next pass) brings the imbalance below
// the target on its own.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../cli/spawn-cli.js';
import { eventually, startTestPlatform, tenant, V1, vm, type Running } from './harness.js';

let run: Running;
let dir: string;
const cli = (args: string[]) => runCli(args, { env: { BULKHEAD_SERVER: run.platform.url, BULKHEAD_TOKEN: run.platform.adminToken ?? '', BULKHEAD_CONFIG: join(dir, 'config.json') } });

interface VmObj {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
  status?: { phase?: string; host?: string };
}
interface Pass {
  outcome: string;
  recommendations: number;
  migrations: number;
  target?: number;
  before?: { imbalance: number };
  after?: { imbalance: number };
}
interface Rec {
  metadata: { name: string };
  spec: { vm: string; from: string; to: string; kind: string };
  status: { phase: string; imbalanceBefore: number; imbalanceAfter: number; cost: { seconds: number; stunMs: number; transferredMiB: number }; migrations?: string[] };
}
interface Migration {
  spec: { vm: string; toHost: string; reason: string };
  status?: { phase?: string; totalMs?: number };
}

const TOPOLOGY = `
zones:
${['z1', 'z2']
  .map((z) => `  - name: ${z}\n    hostGroups:\n      - { count: 3, namePrefix: ${z}-h, sockets: 1, numaNodesPerSocket: 1, coresPerSocket: 8, memoryMiB: 65536, nicMbps: 25000 }`)
  .join('\n')}
`;
const demand = (cpuMillis: number, memoryMiB: number) => JSON.stringify({ kind: 'constant', cpuMillis, memoryMiB });

async function setDrs(zone: string, drs: Record<string, unknown>): Promise<void> {
  const z = await run.admin.get<{ spec: Record<string, unknown> }>(`${V1}/zones/${zone}`);
  expect((await run.admin.put(`${V1}/zones/${zone}`, { ...z.body, spec: { ...z.body.spec, drs } })).status).toBe(200);
}

async function setDemand(name: string, cpuMillis: number, memoryMiB: number): Promise<void> {
  for (;;) {
    const v = await run.admin.get<VmObj>(`${V1}/virtualmachines/${name}`);
    const next = { ...v.body, metadata: { ...v.body.metadata, annotations: { ...v.body.metadata.annotations, 'bulkhead.dev/demand-profile': demand(cpuMillis, memoryMiB) } } };
    const r = await run.admin.put(`${V1}/virtualmachines/${name}`, next);
    if (r.status === 200) return;
    expect(r.status).toBe(409);
  }
}

/** Six VMs in a zone; the ones sharing the first VM's host then demand 4 cores each. Returns that host. */
async function skew(zone: string, prefix: string): Promise<{ hot: string; hotVms: string[] }> {
  const names = Array.from({ length: 6 }, (_, i) => `${prefix}-${i}`);
  for (const n of names) {
    const v = vm(n, 'acme', 4, 8192, { zone });
    expect((await run.admin.post(`${V1}/virtualmachines`, { ...v, metadata: { ...v.metadata, annotations: { 'bulkhead.dev/demand-profile': demand(200, 1024) } } })).status).toBe(201);
  }
  const vms = await eventually(async () => {
    const all = await Promise.all(names.map(async (n) => (await run.admin.get<VmObj>(`${V1}/virtualmachines/${n}`)).body));
    return all.every((v) => v.status?.phase === 'Running') ? all : undefined;
  }, 30_000, `${prefix} VMs running`);
  const hot = vms[0]?.status?.host as string;
  const hotVms = vms.filter((v) => v.status?.host === hot).map((v) => v.metadata.name);
  for (const n of hotVms) await setDemand(n, 4000, 6144);
  return { hot, hotVms };
}

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'bulkhead-drs-'));
  await writeFile(join(dir, 'topology.yaml'), TOPOLOGY);
  run = await startTestPlatform({ timeScale: 2000, topologyFile: join(dir, 'topology.yaml') });
  // Manual zone: passes only on request ("Run DRS now"), so the test sees one pass at a time.
  await setDrs('z1', { automation: 'manual', intervalSeconds: 86400 });
  await setDrs('z2', { automation: 'manual', intervalSeconds: 86400 });
  await run.admin.post(`${V1}/tenants`, tenant('acme', 'low'));
}, 120_000);
afterAll(async () => {
  await run?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('manual DRS', () => {
  let recs: Rec[] = [];

  it('recommends moves off the hot host, with the imbalance before/after and the cost of each', async () => {
    const { hot } = await skew('z1', 'm');
    const ran = await cli(['drs', 'run', '--zone', 'z1']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^z1: DRS manual, threshold 3, every 86400 s; last pass .*: imbalance (\d\.\d{4}) -> (\d\.\d{4}) \(target 0\.1155\), (\d+) recommendation\(s\)/);
    const [, before, after, count] = /imbalance (\S+) -> (\S+) .*, (\d+) recommendation/.exec(ran.stdout) ?? [];
    expect(Number(after)).toBeLessThan(Number(before));
    const shown = await cli(['drs', 'recommendations', '--zone', 'z1']);
    expect(shown.code, shown.stderr).toBe(0);
    const lines = shown.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^z1: DRS manual/);
    expect(lines[2]).toMatch(/^NAME\s+ZONE\s+VM\s+FROM\s+TO\s+KIND\s+PRI\s+IMBALANCE\s+GAIN\s+MIGRATION-S\s+STUN-MS\s+MOVED-MIB\s+COST\/BENEFIT\s+PHASE$/);
    expect(lines.slice(3)).toHaveLength(Number(count));
    recs = (JSON.parse((await cli(['drs', 'recommendations', '--zone', 'z1', '-o', 'json'])).stdout) as { items: Rec[] }).items;
    expect(recs.some((r) => r.spec.from === hot)).toBe(true);
    for (const r of recs) {
      expect(r.status.imbalanceAfter).toBeLessThan(r.status.imbalanceBefore);
      expect(r.status.cost.seconds).toBeGreaterThan(0);
      expect(r.status.cost.transferredMiB).toBeGreaterThanOrEqual(8192);
    }
    // Manual: nothing moved on its own.
    expect((await run.admin.get<{ items: unknown[] }>(`${V1}/vmmigrations`)).body.items).toEqual([]);
  });

  it('applies one by name: a VmMigration with reason DRS, carried out by the migration controller', async () => {
    const rec = recs[0] as Rec;
    const applied = await cli(['drs', 'apply', rec.metadata.name]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toBe(`drsrecommendation/${rec.metadata.name} applied: ${rec.spec.vm} ${rec.spec.from} -> ${rec.spec.to} (vmmigration/${rec.metadata.name})\n`);
    const m = await eventually(async () => {
      const r = await run.admin.get<Migration>(`${V1}/vmmigrations/${rec.metadata.name}`);
      return r.body.status?.phase === 'Succeeded' ? r.body : undefined;
    }, 30_000, 'migration done');
    expect(m.spec).toEqual({ vm: rec.spec.vm, toHost: rec.spec.to, reason: 'DRS' });
    expect(m.status?.totalMs).toBeGreaterThan(0);
    expect((await run.admin.get<VmObj>(`${V1}/virtualmachines/${rec.spec.vm}`)).body.status?.host).toBe(rec.spec.to);
    const again = await cli(['drs', 'apply', rec.metadata.name]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`error: drsrecommendation "${rec.metadata.name}" is Applied\n`);
  });

  it('refuses mistakes in one line', async () => {
    const none = await cli(['drs', 'apply']);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('error: give recommendation names or --all\n');
    const unknown = await cli(['drs', 'apply', 'drs-000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('error: DrsRecommendation "drs-000000000000" not found\n');
    const zone = await cli(['drs', 'recommendations', '--zone', 'nope']);
    expect(zone.stderr).toBe('error: zone "nope" does not exist\n');
    const created = await run.admin.post(`${V1}/drsrecommendations`, { apiVersion: 'bulkhead.dev/v1', kind: 'DrsRecommendation', metadata: { name: 'x' }, spec: { zone: 'z1', vm: 'm-0', from: 'a', to: 'b', kind: 'balance', priority: 3, reason: 'mine' } });
    expect(created.status).toBe(405);
  });
});

describe('DRS rules', () => {
  it('refuses a rule contradicting another, naming both', async () => {
    const rule = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'bulkhead.dev/v1', kind: 'DrsRule', metadata: { name }, spec: { zone: 'z1', ...spec } });
    expect((await run.admin.post(`${V1}/drsrules`, rule('db-together', { type: 'vmAffinity', vms: ['m-1', 'm-2'] }))).status).toBe(201);
    const r = await run.admin.post<{ message: string }>(`${V1}/drsrules`, rule('db-apart', { type: 'vmAntiAffinity', vms: ['m-2', 'm-1'] }));
    expect(r.status).toBe(422);
    expect(r.body.message).toBe(
      'DrsRule "db-apart" is invalid: spec (conflicts with rule "db-together"): must rule "db-together" (keep m-1, m-2 together) contradicts must rule "db-apart" (keep m-2, m-1 apart): m-2 and m-1 cannot be both on one host and on different hosts',
    );
    const pin = await run.admin.post<{ message: string }>(`${V1}/drsrules`, rule('pin', { type: 'vmHost', vms: ['m-1'], hosts: ['z2-h01'], mode: 'mustRunOn' }));
    expect(pin.status).toBe(422);
    expect(pin.body.message).toMatch(/spec\.hosts\[0\]: host "z2-h01" is in zone "z2", not "z1"/);
  });
});

describe('fully automated DRS', () => {
  it('balances a skewed zone by itself: passes issue migrations, the migration controller runs them, the imbalance falls below the target', async () => {
    const { hot, hotVms } = await skew('z2', 'a');
    await setDrs('z2', { automation: 'fullyAutomated', intervalSeconds: 60 });
    const settled = await eventually(async () => {
      const z = await run.admin.get<{ items: { zone: string; lastPass?: Pass }[] }>('/drs/v1/zones');
      const p = z.body.items.find((i) => i.zone === 'z2')?.lastPass;
      return p?.outcome === 'ran' && p.before !== undefined && p.target !== undefined && p.before.imbalance <= p.target ? p : undefined;
    }, 60_000, 'z2 balanced');
    expect(settled.recommendations).toBe(0);
    const migrations = (await run.admin.get<{ items: Migration[] }>(`${V1}/vmmigrations`)).body.items.filter((m) => m.spec.vm.startsWith('a-'));
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.every((m) => m.spec.reason === 'DRS' && m.status?.phase === 'Succeeded')).toBe(true);
    const now = await Promise.all(hotVms.map(async (n) => (await run.admin.get<VmObj>(`${V1}/virtualmachines/${n}`)).body.status?.host));
    expect(now.filter((h) => h === hot).length).toBeLessThan(hotVms.length);
    const history = await cli(['drs', 'recommendations', '--zone', 'z2', '--all']);
    expect(history.stdout).toMatch(/^z2: DRS fullyAutomated, threshold 3, every 60 s; last pass .*imbalance/m);
    expect(history.stdout).toMatch(/\sApplied$/m);
  });
});
