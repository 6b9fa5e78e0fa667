// A VM's demand: its own profile (or the documented defaults) plus its pods' containers, each held
// to its limit, the sum held to the VM's size; unusable annotations fall back and are reported.
import { describe, expect, it } from 'vitest';
import { API_VERSION, type Pod, type VirtualMachine } from '../../api/index.js';
import { VM_DEMAND_ANNOTATION } from './labels.js';
import { SYSTEM_POD, profileStability, vmDemandAt } from './vm-demand.js';

const MHZ = 2000;
const T = Date.UTC(2026, 0, 1, 12);

function vm(cpus: number, memoryMiB: number, o: { annotation?: unknown; cluster?: string } = {}): VirtualMachine {
  return {
    apiVersion: API_VERSION,
    kind: 'VirtualMachine',
    metadata: {
      name: 'vm-1',
      ...(o.cluster ? { labels: { 'bulkhead.dev/cluster': o.cluster } } : {}),
      ...(o.annotation !== undefined ? { annotations: { [VM_DEMAND_ANNOTATION]: typeof o.annotation === 'string' ? o.annotation : JSON.stringify(o.annotation) } } : {}),
    },
    spec: { tenant: 'acme', cpus, memoryMiB },
  };
}

function pod(name: string, cpu: string, memory: string, limit?: string, profile?: unknown): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'web/shop', ...(profile !== undefined ? { annotations: { 'bulkhead.dev/demand-profile': JSON.stringify(profile) } } : {}) },
    spec: { nodeName: 'vm-1', containers: [{ name: 'app', image: 'x', resources: { requests: { cpu, memory }, ...(limit ? { limits: { cpu: limit } } : {}) } }] },
    status: { phase: 'Running' },
  };
}

describe('vmDemandAt', () => {
  it.each([
    ['a plain VM without pods: 25 % of its vCPUs, 50 % of its memory', vm(4, 8192), [], 2000, 4096],
    ['a VM with its own constant profile', vm(4, 8192, { annotation: { kind: 'constant', cpuMillis: 3000, memoryMiB: 2048 } }), [], 6000, 2048],
    ['a profile above the VM size is held to it (hard limit at the VM)', vm(2, 4096, { annotation: { kind: 'constant', cpuMillis: 9000, memoryMiB: 9000 } }), [], 4000, 4096],
    ['a cluster node without pods: the system reserve (80 m; 1,844 MiB + 100 MiB eviction)', vm(4, 8192, { cluster: 'web' }), [], 160, 1944],
    ['a node with pods: reserve plus requests (constant default profile)', vm(4, 8192, { cluster: 'web' }), [pod('a', '1', '1Gi'), pod('b', '500m', '512Mi')], 160 + 3000, 1944 + 1536],
    ['a container is held to its CPU limit (soft inside the VM, hard at the cgroup)', vm(4, 8192, { cluster: 'web' }), [pod('a', '500m', '256Mi', '1', { kind: 'constant', cpuMillis: 3000, memoryMiB: 256 })], 160 + 2000, 1944 + 256],
  ])('%s', (_what, v, pods, cpuMHz, memMiB) => {
    const d = vmDemandAt(v, pods, MHZ, T);
    expect(d.cpuDemandMHz).toBeCloseTo(cpuMHz, 0);
    expect(d.memoryDemandMiB).toBeCloseTo(memMiB, 0);
    expect(d.problems).toEqual([]);
    expect(d.loads[0]?.pod).toBe(SYSTEM_POD);
    expect(d.loads.length).toBe(1 + pods.length);
  });

  it('falls back to the default and reports an unusable VM annotation, naming the field', () => {
    const d = vmDemandAt(vm(4, 8192, { annotation: { kind: 'spiky' } }), [], MHZ, T);
    expect(d.cpuDemandMHz).toBe(2000);
    expect(d.problems).toEqual([expect.stringMatching(/^vm vm-1: metadata\.annotations\["bulkhead\.dev\/demand-profile"\]\.kind: must be one of/)]);
    expect(vmDemandAt(vm(4, 8192, { annotation: '{not json' }), [], MHZ, T).problems[0]).toMatch(/is not JSON/);
  });

  it('falls back to requests for a pod whose profile is unusable', () => {
    const bad = { ...pod('a', '1', '1Gi'), metadata: { name: 'a', namespace: 'web/shop', annotations: { 'bulkhead.dev/demand-profile': '[]' } } };
    const d = vmDemandAt(vm(4, 8192, { cluster: 'web' }), [bad], MHZ, T);
    expect(d.cpuDemandMHz).toBeCloseTo(160 + 2000, 0);
    expect(d.problems[0]).toMatch(/^pod web\/shop\/a: /);
  });

  it('follows a diurnal profile over the day and rates its stability below a flat one', () => {
    const diurnal = { kind: 'diurnal', cpuMillis: 2000, memoryMiB: 1024, amplitudePercent: 50, peakMinuteUtc: 720 };
    const noon = vmDemandAt(vm(4, 8192, { annotation: diurnal }), [], MHZ, Date.UTC(2026, 0, 1, 12));
    const midnight = vmDemandAt(vm(4, 8192, { annotation: diurnal }), [], MHZ, Date.UTC(2026, 0, 1, 0));
    expect(noon.cpuDemandMHz).toBeCloseTo(6000, 0);
    expect(midnight.cpuDemandMHz).toBeCloseTo(2000, 0);
    expect(noon.stability).toBe(0.75);
    expect(profileStability({ kind: 'constant', cpuMillis: 1, memoryMiB: 1 })).toBe(1);
    expect(profileStability({ kind: 'bursty', cpuMillis: 500, memoryMiB: 1, burstCpuMillis: 2000, meanIntervalSeconds: 60, meanDurationSeconds: 10, seed: 1 })).toBe(0.25);
  });
});
