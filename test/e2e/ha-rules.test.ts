// DRS must rules bind HA restarts too (the rules filter is registered for recovery): a VM whose
// host dies restarts away from its must anti-affinity partner even when the partner's host has
// the most room, and a VM pinned by a must VM-host rule stays inside its host group.
import { afterEach, describe, expect, it } from 'vitest';
import { API_VERSION } from '../../src/api/index.js';
import type { DrsRuleSpec } from '../../src/api/kinds/balance-kinds.js';
import { startHaBench, type HaBench } from '../../src/availability/testing.js';
import { addMustRulesFilter } from '../../src/balance/placement/must-rules-filter.js';
import { afterNextHeartbeat, host, hostOf, onHost, smallZone } from './ha-helpers.js';

let b: HaBench;
afterEach(async () => {
  await b?.close();
});

const [H1, H2, H3] = [host(1), host(2), host(3)];

async function setup(rules: boolean): Promise<void> {
  b = await startHaBench({ topology: smallZone(3), clusters: false, ...(rules ? { extend: (ctx) => void addMustRulesFilter(ctx) } : {}) });
  await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'disabled' } });
  await onHost(b, H1, () => b.createVm('a', { tenant: 'acme', cpus: 2, memoryMiB: 4096 }));
  await onHost(b, H2, () => b.createVm('b', { tenant: 'acme', cpus: 2, memoryMiB: 4096 }));
  // H3 is the fullest survivor: without rules, HA puts `a` on H2 (most free capacity).
  await onHost(b, H3, () => b.createVm('big', { tenant: 'acme', cpus: 24, memoryMiB: 48 * 1024 }));
  await b.running(['a', 'b', 'big']);
}

const createRule = (name: string, spec: DrsRuleSpec) => b.store.create({ apiVersion: API_VERSION, kind: 'DrsRule', metadata: { name }, spec });

async function failH1AndRestart(): Promise<string | undefined> {
  const t0 = await afterNextHeartbeat(b);
  await b.driver.faults.failHost(H1, 'test');
  await b.advance(t0 + 20_000 - b.clock.now());
  await b.running(['a'], 120_000);
  return hostOf(b, 'a');
}

describe('HA restarts within DRS must rules', () => {
  it('without rules, the restart goes to the host with the most room (the partner’s)', async () => {
    await setup(false);
    expect(await failH1AndRestart()).toBe(H2);
  });

  it('a must anti-affinity rule keeps the restarted VM off its partner’s host', async () => {
    await setup(true);
    await createRule('apart', { zone: 'zone-a', type: 'vmAntiAffinity', vms: ['a', 'b'] });
    await b.advance(1_000);
    expect(await failH1AndRestart()).toBe(H3);
  });

  it('a must VM-host rule keeps the restarted VM in its host group', async () => {
    await setup(true);
    await createRule('pin', { zone: 'zone-a', type: 'vmHost', vms: ['a'], hosts: [H1, H3], mode: 'mustRunOn' });
    await b.advance(1_000);
    expect(await failH1AndRestart()).toBe(H3);
  });
});
