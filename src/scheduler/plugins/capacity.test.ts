import { describe } from 'vitest';
import { makeHost, makeVm, makeZone } from '../fixtures.js';
import { runFilterConformance } from '../plugin.conformance.js';
import { ClusterSnapshot } from '../snapshot.js';
import { CapacityFilter } from './capacity.js';

// Hosts: 2 nodes x (8 cores, 64 GiB) = 16 cores, 128 GiB. Zone `x1` no overcommit; `x4` 4:1 CPU, 150 % memory.
const nodes = [
  [8, 64 * 1024],
  [8, 64 * 1024],
] as const;
const snapshot = ClusterSnapshot.build({
  zones: [makeZone('x1', 'shared', 100, 100), makeZone('x4', 'shared', 400, 150)],
  hosts: [makeHost('strict', { zone: 'x1', nodes }), makeHost('loose', { zone: 'x4', nodes }), makeHost('busy', { zone: 'x1', nodes })],
  vms: [makeVm('existing', { host: 'busy', cpus: 12, memoryMiB: 100 * 1024, numaNodes: [0, 1] })],
});
const GiB = 1024;

describe('CapacityFilter', () => {
  runFilterConformance(() => new CapacityFilter(), [
    { name: 'fits exactly (16 vCPU on 16 cores)', snapshot, vm: makeVm('v', { cpus: 16, memoryMiB: 128 * GiB }), host: 'strict', want: 'Success' },
    {
      name: 'one vCPU over without overcommit',
      snapshot,
      vm: makeVm('v', { cpus: 17 }),
      host: 'strict',
      want: 'InsufficientCPU',
      code: 'Unschedulable',
    },
    { name: '4:1 overcommit admits 64 vCPUs', snapshot, vm: makeVm('v', { cpus: 64 }), host: 'loose', want: 'Success' },
    { name: '4:1 overcommit refuses 65 vCPUs', snapshot, vm: makeVm('v', { cpus: 65 }), host: 'loose', want: 'InsufficientCPU' },
    { name: 'memory over host memory', snapshot, vm: makeVm('v', { memoryMiB: 129 * GiB }), host: 'strict', want: 'InsufficientMemory' },
    { name: '150 % memory admits 192 GiB', snapshot, vm: makeVm('v', { memoryMiB: 192 * GiB }), host: 'loose', want: 'Success' },
    { name: '150 % memory refuses 193 GiB', snapshot, vm: makeVm('v', { memoryMiB: 193 * GiB }), host: 'loose', want: 'InsufficientMemory' },
    { name: 'allocated vCPUs count (12 + 4 fits)', snapshot, vm: makeVm('v', { cpus: 4, memoryMiB: GiB }), host: 'busy', want: 'Success' },
    { name: 'allocated vCPUs count (12 + 5 does not)', snapshot, vm: makeVm('v', { cpus: 5 }), host: 'busy', want: 'InsufficientCPU' },
    { name: 'allocated memory counts', snapshot, vm: makeVm('v', { cpus: 1, memoryMiB: 29 * GiB }), host: 'busy', want: 'InsufficientMemory' },
    { name: 'CPU is reported before memory', snapshot, vm: makeVm('v', { cpus: 99, memoryMiB: 999 * GiB }), host: 'strict', want: 'InsufficientCPU' },
  ]);
});
