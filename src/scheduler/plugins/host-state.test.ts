import { describe } from 'vitest';
import { makeHost, makeVm } from '../fixtures.js';
import { runFilterConformance } from '../plugin.conformance.js';
import { ClusterSnapshot } from '../snapshot.js';
import { HostStateFilter } from './host-state.js';

const snapshot = ClusterSnapshot.build({
  hosts: [
    makeHost('ready'),
    makeHost('not-ready', { state: 'NotReady' }),
    makeHost('failed', { state: 'Failed' }),
    makeHost('maintenance', { state: 'Maintenance' }),
    makeHost('cordoned', { unschedulable: true }),
    makeHost('failed-cordoned', { state: 'Failed', unschedulable: true }),
    { ...makeHost('no-status'), status: {} },
  ],
});
const vm = makeVm('v');

describe('HostStateFilter', () => {
  runFilterConformance(() => new HostStateFilter(), [
    { name: 'Ready host passes', snapshot, vm, host: 'ready', want: 'Success' },
    { name: 'NotReady host', snapshot, vm, host: 'not-ready', want: 'HostNotReady', code: 'UnschedulableAndUnresolvable' },
    { name: 'Failed host', snapshot, vm, host: 'failed', want: 'HostNotReady' },
    { name: 'Maintenance host', snapshot, vm, host: 'maintenance', want: 'HostNotReady' },
    { name: 'host without a reported state', snapshot, vm, host: 'no-status', want: 'HostNotReady' },
    { name: 'cordoned host', snapshot, vm, host: 'cordoned', want: 'HostCordoned', code: 'UnschedulableAndUnresolvable' },
    { name: 'not ready wins over cordoned', snapshot, vm, host: 'failed-cordoned', want: 'HostNotReady' },
  ]);
});
