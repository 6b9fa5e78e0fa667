/** How HA verdicts print quantities: "3.2 vCPU", "10 GiB", "25%". */
import type { Resources } from './types.js';

function trim(v: number, decimals: number): string {
  const f = 10 ** decimals;
  return String(Math.round(v * f) / f);
}

export function formatVcpus(vcpus: number): string {
  return `${trim(Math.max(0, vcpus), 1)} vCPU`;
}

export function formatMemory(mib: number): string {
  const m = Math.max(0, mib);
  return m > 0 && m < 102.4 ? `${trim(m, 0)} MiB` : `${trim(m / 1024, 1)} GiB`;
}

/** "8 vCPU / 32 GiB" (negative amounts print as 0: nothing is left). */
export function formatResources(r: Resources): string {
  return `${formatVcpus(r.vcpus)} / ${formatMemory(r.memoryMiB)}`;
}

export function formatPercent(p: number): string {
  return `${trim(p, 1)}%`;
}
