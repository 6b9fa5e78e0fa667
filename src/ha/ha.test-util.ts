/** Builders shared by the HA tests. */
import type { HaHost, HaVm, RestartPriority } from './types.js';

export const GiB = 1024;

export function host(name: string, vcpus = 32, memGiB = 128, o: Partial<Omit<HaHost, 'name' | 'vcpus' | 'memoryMiB'>> = {}): HaHost {
  return { name, vcpus, memoryMiB: memGiB * GiB, ...o };
}

export function vm(name: string, on: string | undefined, vcpus = 2, memGiB = 8, priority?: RestartPriority, o: Partial<HaVm> = {}): HaVm {
  return { name, ...(on !== undefined ? { host: on } : {}), vcpus, memoryMiB: memGiB * GiB, ...(priority !== undefined ? { restartPriority: priority } : {}), ...o };
}
