/** The scheduler-backed callback: DRS moves obey the scheduler's own filters, including moves made earlier in the pass. */
import { describe, expect, it } from 'vitest';
import type { Sensitivity, VirtualMachine } from '../api/index.js';
import { makeHost, makeTenant, makeVm, makeZone } from '../scheduler/fixtures.js';
import { vmKey } from '../scheduler/index.js';
import { applyRecommendations } from './apply.js';
import { GiB } from './drs.test-util.js';
import { planDrsPass } from './pass.js';
import { schedulerCanPlace } from './scheduler-check.js';
import type { DrsState } from './types.js';

const MHZ_PER_CORE = 2_000;

/** DRS state mirroring the store objects: entitlement = configured size here. */
function drsState(hostNames: readonly string[], vms: readonly VirtualMachine[]): DrsState {
  return {
    hosts: hostNames.map((name) => ({ name, cpuMHz: 32 * MHZ_PER_CORE, memoryMiB: 512 * GiB, nicMbps: 10_000 })),
    vms: vms.map((v) => ({ name: vmKey(v), host: v.status?.host ?? '', cpuMHz: (v.spec?.cpus ?? 0) * MHZ_PER_CORE, memoryMiB: v.spec?.memoryMiB ?? 0 })),
  };
}

function levelVm(name: string, host: string, sensitivity: Sensitivity, cpus = 4, memGiB = 32): VirtualMachine {
  return makeVm(name, { host, sensitivity, cpus, memoryMiB: memGiB * GiB, tenant: 't1' });
}

describe('schedulerCanPlace', () => {
  const hosts = ['h1', 'h2', 'h3'].map((n) => makeHost(n));
  const zones = [makeZone('z1', 'per-sensitivity')];
  const tenants = [makeTenant('t1', 'high')];

  it('keeps sensitivity isolation: the coldest host holds a low VM, so high VMs go elsewhere', () => {
    const vms = [
      ...Array.from({ length: 6 }, (_, i) => levelVm(`hi-${i}`, 'h1', 'high')),
      levelVm('lo-0', 'h2', 'low', 1, 2),
      ...Array.from({ length: 2 }, (_, i) => levelVm(`hi-b${i}`, 'h3', 'high')),
    ];
    const state = drsState(['h1', 'h2', 'h3'], vms);
    const free = planDrsPass(state, { threshold: 5 });
    expect(free.recommendations[0]?.to).toBe('h2');
    const checked = planDrsPass(state, { threshold: 5, canPlace: schedulerCanPlace({ hosts, zones, tenants, vms }) });
    expect(checked.recommendations.length).toBeGreaterThan(0);
    expect(checked.recommendations.every((r) => r.to === 'h3')).toBe(true);
  });

  it('sees moves made earlier in the same pass', () => {
    // h2 starts empty: whichever level lands there first, the other level must not follow.
    const vms = [...Array.from({ length: 6 }, (_, i) => levelVm(`hi-${i}`, 'h1', 'high')), ...Array.from({ length: 6 }, (_, i) => levelVm(`lo-${i}`, 'h3', 'low'))];
    const state = drsState(['h1', 'h2', 'h3'], vms);
    const r = planDrsPass(state, { threshold: 5, canPlace: schedulerCanPlace({ hosts, zones, tenants, vms }) });
    expect(r.recommendations.length).toBeGreaterThan(0);
    const level = new Map(vms.map((v) => [vmKey(v), v.spec?.sensitivity]));
    const end = applyRecommendations(state, r.recommendations);
    for (const h of ['h1', 'h2', 'h3']) {
      expect(new Set(end.vms.filter((v) => v.host === h).map((v) => level.get(v.name))).size).toBeLessThanOrEqual(1);
    }
  });

  it('refuses hosts without capacity under the zone overcommit, naming the filter reason', () => {
    const small = [makeHost('h1'), makeHost('h2', { nodes: [[16, 64 * GiB]] })];
    const vms = [levelVm('a', 'h1', 'high', 4, 48), levelVm('b', 'h1', 'high', 4, 48), levelVm('c', 'h2', 'high', 4, 32)];
    const check = schedulerCanPlace({ hosts: small, zones: [makeZone('z1', 'shared')], tenants, vms });
    const state = drsState(['h1', 'h2'], vms);
    const r = planDrsPass(state, { threshold: 5, canPlace: check });
    expect(r.recommendations).toEqual([]);
    const view = { hostOf: () => undefined, vmsOn: () => [], placements: () => [], changes: [] };
    expect(check({ name: 't1/a' }, { name: 'h2' }, view)).toEqual({ ok: false, reason: 'InsufficientMemory' });
    expect(check({ name: 't1/zz' }, { name: 'h2' }, view)).toEqual({ ok: false, reason: 'UnknownVm' });
  });
});
