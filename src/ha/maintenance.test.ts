/** Maintenance-mode checks: evacuation fits and the policy still holds without the host. */
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../api/index.js';
import { host, vm } from './ha.test-util.js';
import { checkMaintenance } from './maintenance.js';
import type { HaZone } from './types.js';

const pct = (p: number) => ({ type: 'percentage', cpuPercent: p, memPercent: p }) as const;

describe('checkMaintenance', () => {
  const zone: HaZone = {
    hosts: [host('h1'), host('h2'), host('h3'), host('h4')],
    vms: [vm('a', 'h1', 8, 32), vm('b', 'h1', 4, 16), vm('c', 'h2', 8, 32), vm('off', 'h1', 16, 64, undefined, { poweredOn: false })],
  };

  it('allows it when the others take the VMs and keep the reserve, with the evacuation plan', () => {
    const v = checkMaintenance(zone, 'h1', pct(25));
    expect(v.ok).toBe(true);
    expect(v.reasons).toEqual([]);
    // Largest first, each to the host with the most free share; powered-off VMs stay.
    expect(v.evacuation).toEqual([
      { vm: 'a', to: 'h3' },
      { vm: 'b', to: 'h4' },
    ]);
  });

  it('refuses when the rest of the zone could no longer keep the failover reserve', () => {
    // 20 vCPU in use; without h1, 96 vCPU with 80 % reserved leaves 19.2.
    const v = checkMaintenance(zone, 'h1', pct(80));
    expect(v.ok).toBe(false);
    expect(v.reasons).toEqual(['without h1 the zone has 96 vCPU / 384 GiB; keeping 80% for failover leaves 19.2 vCPU / 76.8 GiB, but 20 vCPU / 80 GiB is in use']);
  });

  it('refuses when a VM fits nowhere else, saying why', () => {
    const tight: HaZone = { hosts: [host('h1'), host('h2', 8, 32)], vms: [vm('big', 'h1', 16, 64)] };
    const v = checkMaintenance(tight, 'h1', { type: 'disabled' });
    expect(v.ok).toBe(false);
    expect(v.reasons).toEqual(['no other host can take big (16 vCPU / 64 GiB): 1 host: not enough free capacity']);
  });

  it('honours must rules and the placement callback when planning the evacuation', () => {
    const v = checkMaintenance(zone, 'h1', { type: 'disabled' }, { rules: [{ name: 'a-stays', type: 'vmHost', vms: ['a'], hosts: ['h1'], mode: 'mustRunOn' }] });
    expect(v.ok).toBe(false);
    expect(v.reasons[0]).toContain('would break must rule "a-stays"');
    const w = checkMaintenance(zone, 'h1', { type: 'disabled' }, { canPlace: (_, h) => (h.name === 'h2' ? { ok: true } : { ok: false, reason: 'TenantIsolation' }) });
    expect(w.evacuation.every((e) => e.to === 'h2')).toBe(true);
  });

  it('never evacuates onto failover hosts, and keeps the last failover host out of maintenance', () => {
    const policy = { type: 'failoverHosts', hosts: ['h4'] } as const;
    expect(checkMaintenance(zone, 'h1', policy).evacuation.map((e) => e.to)).not.toContain('h4');
    const last = checkMaintenance(zone, 'h4', policy);
    expect(last.ok).toBe(false);
    expect(last.reasons[0]).toContain('last dedicated failover host');
    const two = checkMaintenance(zone, 'h4', { type: 'failoverHosts', hosts: ['h3', 'h4'] });
    expect(two).toMatchObject({ ok: true, warnings: ['failover capacity drops to 1 host(s): h3'] });
  });

  it('checks the slot policy without the host', () => {
    const v = checkMaintenance(zone, 'h1', { type: 'slots', failures: 3 });
    expect(v.ok).toBe(false);
    expect(v.reasons[0]).toContain('slots of 8 vCPU / 32 GiB');
  });

  it('throws NotFoundError for an unknown host', () => {
    expect(() => checkMaintenance(zone, 'nope', pct(25))).toThrow(NotFoundError);
  });
});
