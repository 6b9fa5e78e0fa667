/**
 * Inside a VM: its containers compete for the CPU the host gives the VM the way Linux CFS shares
 * it between cgroups. Weights are `cpu.shares` derived from requests as the kubelet does
 * (millicores x 1024 / 1000, at least 2, so BestEffort still runs); each container is capped at
 * its demand and its limit (a CFS quota is hard); requests guarantee nothing beyond their weight,
 * and what one container leaves idle the others take. That is the soft boundary: when a
 * neighbour bursts, a container above its request loses CPU to it.
 */
import { READY_SAMPLE_MS } from './host-contention.js';
import type { ContainerLoad } from './pod-demand.js';
import { waterFill } from './water-fill.js';

/** Smallest cpu.shares a cgroup gets (the kernel's and kubelet's minimum). */
export const CFS_MIN_SHARES = 2;

/** cpu.shares for a CPU request, as the kubelet computes it. */
export function cfsShares(requestMillis: number): number {
  return Math.max(CFS_MIN_SHARES, Math.floor((requestMillis * 1024) / 1000));
}

/** What one container gets inside its VM, in milli-CPU and MHz, plus its memory. */
export interface ContainerShare {
  readonly pod: string;
  readonly container: string;
  readonly tenant: string | undefined;
  readonly demandMillis: number;
  readonly gotMillis: number;
  readonly demandMHz: number;
  readonly gotMHz: number;
  /** Unmet demand (including what its own limit holds back) in ms per 20 s sample, like CPU ready. */
  readonly readyMs: number;
  readonly memoryDemandMiB: number;
  /** Demand held to the container's memory limit (beyond it the container is OOM-killed). */
  readonly memoryUsageMiB: number;
}

/** Divides `vmUsageMHz` (what the host gives the VM) among its containers by CFS shares. */
export function divideVmCpu(containers: readonly ContainerLoad[], vmUsageMHz: number, coreMHz: number): ContainerShare[] {
  const n = containers.length;
  const caps = new Float64Array(n);
  const weights = new Float64Array(n);
  containers.forEach((c, i) => {
    caps[i] = Math.min(c.demandMillis, c.limitMillis ?? Number.POSITIVE_INFINITY);
    weights[i] = cfsShares(c.requestMillis);
  });
  const totalMillis = coreMHz > 0 ? (vmUsageMHz / coreMHz) * 1000 : 0;
  const got = waterFill(totalMillis, new Float64Array(n), caps, weights);
  const toMHz = coreMHz / 1000;
  return containers.map((c, i) => {
    const gotMillis = got[i] as number;
    return {
      pod: c.pod,
      container: c.container,
      tenant: c.tenant,
      demandMillis: c.demandMillis,
      gotMillis,
      demandMHz: c.demandMillis * toMHz,
      gotMHz: gotMillis * toMHz,
      readyMs: (Math.max(0, c.demandMillis - gotMillis) / 1000) * READY_SAMPLE_MS,
      memoryDemandMiB: c.memoryDemandMiB,
      memoryUsageMiB: Math.min(c.memoryDemandMiB, c.memoryLimitMiB ?? Number.POSITIVE_INFINITY),
    };
  });
}

/** A pod's CPU inside its VM: its containers summed. */
export interface PodCpu {
  readonly pod: string;
  readonly tenant: string | undefined;
  readonly demandMillis: number;
  readonly gotMillis: number;
  readonly readyMs: number;
}

/** Sums container shares per pod, in first-seen order. */
export function podCpu(shares: readonly ContainerShare[]): PodCpu[] {
  const byPod = new Map<string, { pod: string; tenant: string | undefined; demandMillis: number; gotMillis: number; readyMs: number }>();
  for (const s of shares) {
    const p = byPod.get(s.pod) ?? { pod: s.pod, tenant: s.tenant, demandMillis: 0, gotMillis: 0, readyMs: 0 };
    p.demandMillis += s.demandMillis;
    p.gotMillis += s.gotMillis;
    p.readyMs += s.readyMs;
    byPod.set(s.pod, p);
  }
  return [...byPod.values()];
}
