import { describe, expect, it } from 'vitest';
import { smallScenario, variant } from '../fixtures.test-util.js';
import { parseScenario } from '../scenario/parse.js';
import { bareMetalHostsNeeded, vmHostsNeeded } from './hosts-needed.js';

describe('hosts needed', () => {
  it('packs VMs of one sensitivity level onto as few hosts as the zone allows, plus one failover host', () => {
    // 2 clusters x (2 + 8 + 8) vCPUs = 36 vCPUs on 16-core hosts without CPU overcommit: 3 hosts.
    const s = parseScenario(smallScenario());
    expect(vmHostsNeeded(s)).toMatchObject({ perZone: { 'zone-a': 3 }, workload: 3, spare: 1, total: 4 });
  });

  it('opens separate hosts for another sensitivity level (per-sensitivity isolation)', () => {
    const s = parseScenario(variant((d) => ((d.spec.tenants as Record<string, unknown>[])[1] as Record<string, unknown>).sensitivity = 'high'));
    // 18 vCPUs per tenant: two hosts each, no sharing across levels.
    expect(vmHostsNeeded(s).workload).toBe(4);
  });

  it('packs tighter under CPU overcommit, until memory binds', () => {
    const s = parseScenario(variant((d) => Object.assign((d.spec.topology as { zones: Record<string, unknown>[] }).zones[0] ?? {}, { cpuOvercommitPercent: 400 })));
    // 36 vCPUs fit one host at 4:1, but 136 GiB of VM memory does not fit its 128 GiB.
    expect(vmHostsNeeded(s).workload).toBe(2);
  });

  it('gives bare metal one host per node plus a spare', () => {
    const s = parseScenario(smallScenario());
    expect(bareMetalHostsNeeded(s)).toMatchObject({ perZone: { 'zone-a': 6 }, workload: 6, spare: 1, total: 7, controlPlane: 2 });
  });
});
