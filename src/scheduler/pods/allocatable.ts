/**
 * Node allocatable = VM capacity minus the system reserve (kubelet, container runtime, OS) and the
 * hard eviction threshold. Bulkhead follows GKE's published tiers:
 *   CPU:    6 % of the first core, 1 % of the second, 0.5 % of cores 3-4, 0.25 % above 4.
 *   Memory: 255 MiB on machines under 1 GiB; otherwise 25 % of the first 4 GiB, 20 % of the next
 *           4 GiB, 10 % of the next 8 GiB, 6 % of the next 112 GiB, 2 % above 128 GiB;
 *           plus a 100 MiB hard-eviction threshold.
 * A 2 vCPU / 4 GiB worker keeps 1930m and 2972 MiB for pods; 8 vCPU / 32 GiB keeps 7910m and
 * 29 022 MiB.
 */

/** What pods may use on a node of `cpus` vCPUs and `memoryMiB` MiB. */
export interface Allocatable {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

/** Hard-eviction threshold kept free on every node (kubelet's memory.available<100Mi). */
export const EVICTION_THRESHOLD_MIB = 100;

function tiers(amount: number, steps: readonly (readonly [number, number])[]): number {
  let reserved = 0;
  let done = 0;
  for (const [upTo, fraction] of steps) {
    if (amount <= done) break;
    const slice = Math.min(amount, upTo) - done;
    reserved += slice * fraction;
    done = upTo;
  }
  return reserved;
}

/** CPU reserved by the system on a node of `cpus` vCPUs, in milli-cores. */
export function cpuReserveMillis(cpus: number): number {
  return Math.ceil(tiers(cpus * 1000, [[1000, 0.06], [2000, 0.01], [4000, 0.005], [Infinity, 0.0025]]));
}

/** Memory reserved by the system on a node of `memoryMiB`, in MiB (eviction threshold included). */
export function memoryReserveMiB(memoryMiB: number): number {
  if (memoryMiB < 1024) return 255 + EVICTION_THRESHOLD_MIB;
  const g = 1024;
  return Math.ceil(tiers(memoryMiB, [[4 * g, 0.25], [8 * g, 0.2], [16 * g, 0.1], [128 * g, 0.06], [Infinity, 0.02]])) + EVICTION_THRESHOLD_MIB;
}

export function allocatable(cpus: number, memoryMiB: number): Allocatable {
  return {
    cpuMillis: Math.max(0, cpus * 1000 - cpuReserveMillis(cpus)),
    memoryMiB: Math.max(0, memoryMiB - memoryReserveMiB(memoryMiB)),
  };
}
