// The zone as DRS sees it: hosts by mode, VMs by entitlement; maintenance-mode and failed hosts
// (and their VMs) are left to maintenance mode and HA; immovable VMs stay put.
import { describe, expect, it } from 'vitest';
import { API_VERSION, type Host, type VirtualMachine } from '../../api/index.js';
import { computeUsage } from '../model/usage-snapshot.js';
import { drsStateOf } from './drs-state.js';

function host(name: string, state: 'Ready' | 'NotReady' | 'Failed' | 'Maintenance', extra: Record<string, unknown> = {}): Host {
  return {
    apiVersion: API_VERSION,
    kind: 'Host',
    metadata: { name },
    spec: { zone: 'z', sockets: 1, cores: 8, memoryMiB: 65536, numaNodes: [{ id: 0, socket: 0, cores: 8, memoryMiB: 65536 }], nicMbps: 10_000, ...extra },
    status: { state },
  };
}
const vm = (name: string, h: string): VirtualMachine => ({
  apiVersion: API_VERSION,
  kind: 'VirtualMachine',
  metadata: { name },
  spec: { tenant: 't', cpus: 2, memoryMiB: 4096, powerState: 'On' },
  status: { phase: 'Running', host: h, zone: 'z' },
});

describe('drsStateOf', () => {
  const hosts = [host('ok', 'Ready'), host('cordoned', 'Ready', { unschedulable: true }), host('flaky', 'NotReady'), host('maint', 'Maintenance', { maintenance: true }), host('dead', 'Failed')];
  const snapshot = computeUsage({ hosts, vms: [vm('a', 'ok'), vm('b', 'maint'), vm('c', 'flaky'), vm('d', 'ok')], pods: [], pools: [] }, 0);

  it('keeps active and cordoned hosts, leaves maintenance and failed ones out', () => {
    const s = drsStateOf('z', snapshot, hosts, { has: () => false });
    expect(s.hosts.map((h) => [h.name, h.mode])).toEqual([
      ['ok', 'active'],
      ['cordoned', 'cordoned'],
      ['flaky', 'cordoned'],
    ]);
    expect(s.hosts[0]).toMatchObject({ cpuMHz: 16_000, memoryMiB: 65536, nicMbps: 10_000 });
    expect(s.vms.map((v) => v.name)).toEqual(['a', 'c', 'd']);
  });

  it('carries each VM\'s entitlement, size and movability', () => {
    const s = drsStateOf('z', snapshot, hosts, { has: (v) => v === 'd' });
    const a = s.vms.find((v) => v.name === 'a');
    // A plain VM: 25 % of 2 vCPUs at 2,000 MHz, 50 % of 4 GiB; nothing contended.
    expect(a).toMatchObject({ host: 'ok', cpuMHz: 1000, memoryMiB: 2048, sizeMiB: 4096, demandStability: 1, movable: true });
    expect(s.vms.find((v) => v.name === 'd')?.movable).toBe(false);
    expect(drsStateOf('other', snapshot, hosts, { has: () => false })).toEqual({ hosts: [], vms: [] });
  });
});
