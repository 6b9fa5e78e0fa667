/** From pod specs to container and VM demand: profiles from annotations, splits by request, the VM boundary. */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/index.js';
import { DEMAND_PROFILE_ANNOTATION, containerLoads, podDemandProfile, podKey, vmDemand, type ContainerLoad } from './pod-demand.js';

const T0 = Date.UTC(2026, 0, 1);

function pod(containers: { name: string; req?: string; lim?: string; mem?: string; memLim?: string }[], annotation?: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'c1/shop', ...(annotation !== undefined ? { annotations: { [DEMAND_PROFILE_ANNOTATION]: annotation } } : {}) },
    spec: {
      containers: containers.map((c) => ({
        name: c.name,
        image: 'x:1',
        resources: {
          requests: { ...(c.req ? { cpu: c.req } : {}), ...(c.mem ? { memory: c.mem } : {}) },
          limits: { ...(c.lim ? { cpu: c.lim } : {}), ...(c.memLim ? { memory: c.memLim } : {}) },
        },
      })),
    },
  };
}

describe('podDemandProfile', () => {
  it('defaults to constant demand at the requests (a request defaulting to its limit)', () => {
    const p = pod([
      { name: 'a', req: '500m', mem: '256Mi' },
      { name: 'b', lim: '1', memLim: '1Gi' },
    ]);
    expect(podDemandProfile(p)).toEqual({ ok: true, profile: { kind: 'constant', cpuMillis: 1500, memoryMiB: 1280 } });
  });

  it('reads the annotation', () => {
    const profile = { kind: 'diurnal', cpuMillis: 800, memoryMiB: 300, amplitudePercent: 50, peakMinuteUtc: 720 };
    expect(podDemandProfile(pod([{ name: 'a' }], JSON.stringify(profile)))).toEqual({ ok: true, profile });
  });

  it('names the annotation when it is not JSON or not a profile', () => {
    const field = `metadata.annotations["${DEMAND_PROFILE_ANNOTATION}"]`;
    const bad = podDemandProfile(pod([{ name: 'a' }], '{nope'));
    expect(!bad.ok && bad.causes[0]).toMatchObject({ field, message: expect.stringMatching(/not JSON/) });
    const wrong = podDemandProfile(pod([{ name: 'a' }], JSON.stringify({ kind: 'constant', cpuMillis: -1, memoryMiB: 0 })));
    expect(!wrong.ok && wrong.causes[0]?.field).toBe(`${field}.cpuMillis`);
  });
});

describe('containerLoads', () => {
  it('splits the pod demand over containers by their requests and keeps their limits', () => {
    const p = pod([
      { name: 'app', req: '750m', lim: '2', mem: '300Mi', memLim: '1Gi' },
      { name: 'sidecar', req: '250m', mem: '100Mi' },
    ]);
    const loads = containerLoads(p, { kind: 'constant', cpuMillis: 2000, memoryMiB: 800 }, T0, 'acme');
    expect(loads).toEqual([
      { pod: 'c1/shop/web-1', container: 'app', tenant: 'acme', requestMillis: 750, limitMillis: 2000, demandMillis: 1500, memoryRequestMiB: 300, memoryLimitMiB: 1024, memoryDemandMiB: 600 },
      { pod: 'c1/shop/web-1', container: 'sidecar', tenant: 'acme', requestMillis: 250, limitMillis: undefined, demandMillis: 500, memoryRequestMiB: 100, memoryLimitMiB: undefined, memoryDemandMiB: 200 },
    ]);
    expect(podKey(p)).toBe('c1/shop/web-1');
  });

  it('splits evenly when no container requests anything (BestEffort)', () => {
    const loads = containerLoads(pod([{ name: 'a' }, { name: 'b' }]), { kind: 'constant', cpuMillis: 1000, memoryMiB: 100 }, T0);
    expect(loads.map((l) => l.demandMillis)).toEqual([500, 500]);
  });

  it('follows the profile in time', () => {
    const p = pod([{ name: 'a', req: '1' }]);
    const profile = { kind: 'diurnal' as const, cpuMillis: 1000, memoryMiB: 100, amplitudePercent: 50, peakMinuteUtc: 0 };
    expect(containerLoads(p, profile, T0)[0]?.demandMillis).toBeCloseTo(1500, 6);
    expect(containerLoads(p, profile, T0 + 12 * 3_600_000)[0]?.demandMillis).toBeCloseTo(500, 6);
  });
});

describe('vmDemand', () => {
  const load = (demandMillis: number, limitMillis?: number, memoryDemandMiB = 0, memoryLimitMiB?: number): ContainerLoad => ({
    pod: 'p',
    container: 'c',
    tenant: undefined,
    requestMillis: 0,
    limitMillis,
    demandMillis,
    memoryRequestMiB: 0,
    memoryLimitMiB,
    memoryDemandMiB,
  });

  it('sums containers held to their limits, in MHz', () => {
    expect(vmDemand([load(3000, 1000), load(500)], { vcpus: 8, memoryMiB: 4096 }, 2000)).toEqual({ cpuDemandMHz: 3000, memoryDemandMiB: 0 });
  });

  it('holds the sum to the VM: its vCPUs and its memory are hard', () => {
    expect(vmDemand([load(6000, undefined, 3000), load(6000, undefined, 3000)], { vcpus: 4, memoryMiB: 4096 }, 2000)).toEqual({ cpuDemandMHz: 8000, memoryDemandMiB: 4096 });
    expect(vmDemand([load(0, undefined, 3000, 1000)], { vcpus: 4, memoryMiB: 4096 }, 2000).memoryDemandMiB).toBe(1000);
  });
});
