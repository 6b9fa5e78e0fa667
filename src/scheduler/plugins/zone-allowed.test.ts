import { describe } from 'vitest';
import { makeHost, makeTenant, makeVm, makeZone } from '../fixtures.js';
import { runFilterConformance } from '../plugin.conformance.js';
import { ClusterSnapshot } from '../snapshot.js';
import { ZoneAllowed } from './zone-allowed.js';

const snapshot = ClusterSnapshot.build({
  zones: [makeZone('a', 'shared'), makeZone('b', 'shared'), makeZone('c', 'shared')],
  tenants: [makeTenant('free', 'low'), makeTenant('ab', 'low', ['a', 'b'])],
  hosts: [makeHost('in-a', { zone: 'a' }), makeHost('in-b', { zone: 'b' }), makeHost('in-c', { zone: 'c' })],
});

describe('ZoneAllowed', () => {
  runFilterConformance(() => new ZoneAllowed(), [
    { name: 'no pin, unrestricted tenant: any zone', snapshot, vm: makeVm('v', { tenant: 'free' }), host: 'in-c', want: 'Success' },
    { name: 'unknown tenant: any zone', snapshot, vm: makeVm('v', { tenant: 'ghost' }), host: 'in-b', want: 'Success' },
    { name: 'pinned zone matches', snapshot, vm: makeVm('v', { tenant: 'free', zone: 'b' }), host: 'in-b', want: 'Success' },
    {
      name: 'pinned zone differs',
      snapshot,
      vm: makeVm('v', { tenant: 'free', zone: 'b' }),
      host: 'in-a',
      want: 'ZoneNotAllowed',
      code: 'UnschedulableAndUnresolvable',
    },
    { name: "tenant's zone", snapshot, vm: makeVm('v', { tenant: 'ab' }), host: 'in-a', want: 'Success' },
    { name: "outside tenant's zones", snapshot, vm: makeVm('v', { tenant: 'ab' }), host: 'in-c', want: 'ZoneNotAllowed' },
    { name: "pin inside tenant's zones", snapshot, vm: makeVm('v', { tenant: 'ab', zone: 'b' }), host: 'in-b', want: 'Success' },
    { name: 'pin narrows the tenant zones', snapshot, vm: makeVm('v', { tenant: 'ab', zone: 'b' }), host: 'in-a', want: 'ZoneNotAllowed' },
    {
      name: "pin outside tenant's zones fails at PreFilter",
      snapshot,
      vm: makeVm('v', { tenant: 'ab', zone: 'c' }),
      host: 'in-c',
      want: 'ZoneNotAllowed',
    },
  ]);
});
