// The compiled `bulkhead` CLI against the availability API on a virtual clock that a background
// loop moves ~200x faster than wall time: `ha enable|status`, `vm migrate --wait`,
// `host maintenance --enter --wait` / `--exit`, `host isolate`, and one-line refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHaBench, tenant, type HaBench } from '../../src/availability/testing.js';
import { ensureBuilt, runCli } from '../cli/spawn-cli.js';
import { host, onHost, smallZone } from './ha-helpers.js';

let b: HaBench;
let env: Record<string, string>;
let ticking = true;
let ticker: Promise<void>;
const cli = (args: string[]) => runCli(args, { env });

beforeAll(async () => {
  ensureBuilt();
  b = await startHaBench({ topology: smallZone(4), clusters: false, http: true, tenants: [tenant('acme', 'low'), tenant('bank', 'high')] });
  await onHost(b, host(1), async () => {
    for (const n of ['web-1', 'web-2']) await b.createVm(n, { tenant: 'acme', memoryMiB: 8192 });
  });
  await onHost(b, host(2), () => b.createVm('vault', { tenant: 'bank' }));
  await b.running(['web-1', 'web-2', 'vault']);
  env = { BULKHEAD_SERVER: b.url!, BULKHEAD_TOKEN: b.adminToken!, BULKHEAD_CONFIG: `${b.dataDir}/config.json`, NO_COLOR: '1' };
  ticker = (async () => {
    while (ticking) {
      await b.clock.advance(1_000);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
}, 120_000);
afterAll(async () => {
  ticking = false;
  await ticker;
  await b?.close();
});

describe('bulkhead ha', () => {
  it('enables HA with a policy and shows the numbers', async () => {
    const on = await cli(['ha', 'enable', 'zone-a', '--tolerate-host-failures', '1']);
    expect(on.stderr).toBe('');
    expect(on.stdout.trim()).toBe('zone/zone-a HA enabled (percentage)');
    const status = await cli(['ha', 'status', 'zone-a']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Admission control: percentage: 25% CPU and 25% memory kept for failover/);
    expect(status.stdout).toMatch(/Room for new VMs: {2}with 25% reserved for failover the zone has \d+ vCPU \/ \d+(\.\d)? GiB left/);
    expect(status.stdout).toMatch(new RegExp(`${host(1)}\\s+Ready\\s+Alive`));
    const bad = await cli(['ha', 'enable', 'zone-a', '--policy', 'failoverHosts']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('error: --policy failoverHosts needs --failover-hosts h1,h2');
  });
});

describe('bulkhead vm migrate', () => {
  it('migrates a VM and, with --wait, prints the modeled rounds, total and stun time', async () => {
    const r = await cli(['vm', 'migrate', 'web-1', '--to', host(3), '--wait']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^vmmigration/web-1-\\S+ succeeded: web-1 moved from ${host(1)} to ${host(3)} in \\d+\\.\\d s \\(\\d+ pre-copy rounds, stun \\d+ ms, \\d+ MiB sent\\)\\n$`));
    expect(r.stderr).toMatch(/Running -> zone-a-host-03/);
    expect((await b.vm('web-1')).status?.host).toBe(host(3));
  });

  it('refuses a destination that breaks isolation in one line, exit 1', async () => {
    const r = await cli(['vm', 'migrate', 'web-2', '--to', host(2)]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toBe('error: toHost: zone-a-host-02 runs high-sensitivity VMs and zone zone-a keeps sensitivity levels apart (isolation per-sensitivity); web-2 is low');
  });
});

describe('bulkhead host maintenance and isolate', () => {
  it('enters maintenance with --wait until the host is empty, then exits', async () => {
    const r = await cli(['host', 'maintenance', host(1), '--enter', '--wait']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`host/${host(1)} is in maintenance mode: no VM runs on it`);
    expect(r.stderr).toMatch(/1 VM left on zone-a-host-01, 1 migrating/);
    expect((await b.vm('web-2')).status?.host).not.toBe(host(1));
    const out = await cli(['host', 'maintenance', host(1), '--exit', '--wait']);
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toBe(`host/${host(1)} is back in service (state Ready)`);
    const both = await cli(['host', 'maintenance', host(1)]);
    expect(both.code).toBe(1);
    expect(both.stderr.trim()).toBe('error: give exactly one of --enter or --exit');
  });

  it('isolates a host: its VMs keep running and HA reports it isolated', async () => {
    const r = await cli(['host', 'isolate', host(2)]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`host/${host(2)} isolated: its management network is silent, its VMs keep running`);
    const t = b.clock.now();
    while (b.clock.now() < t + 40_000) await new Promise((res) => setTimeout(res, 20));
    const status = await cli(['ha', 'status', 'zone-a']);
    expect(status.stdout).toMatch(new RegExp(`${host(2)}\\s+NotReady\\s+Isolated`));
    expect((await b.vm('vault')).status).toMatchObject({ phase: 'Running', host: host(2) });
    expect((await cli(['host', 'recover', host(2)])).code).toBe(0);
  });
});
