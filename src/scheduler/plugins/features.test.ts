import { describe } from 'vitest';
import { makeHost, makeVm } from '../fixtures.js';
import { runFilterConformance } from '../plugin.conformance.js';
import { ClusterSnapshot } from '../snapshot.js';
import { FeaturesFilter } from './features.js';

const snapshot = ClusterSnapshot.build({
  hosts: [makeHost('plain'), makeHost('sev', { features: ['sev-es'] }), makeHost('sev-gpu', { features: ['sev-es', 'gpu'] })],
});

describe('FeaturesFilter', () => {
  runFilterConformance(() => new FeaturesFilter(), [
    { name: 'nothing required', snapshot, vm: makeVm('v'), host: 'plain', want: 'Success' },
    {
      name: 'encrypted memory needs sev-es',
      snapshot,
      vm: makeVm('v', { encryptedMemory: true }),
      host: 'plain',
      want: 'MissingFeature:sev-es',
      code: 'UnschedulableAndUnresolvable',
    },
    { name: 'encrypted memory on sev-es host', snapshot, vm: makeVm('v', { encryptedMemory: true }), host: 'sev', want: 'Success' },
    { name: 'required feature missing', snapshot, vm: makeVm('v', { requiredFeatures: ['gpu'] }), host: 'sev', want: 'MissingFeature:gpu' },
    {
      name: 'all required features present',
      snapshot,
      vm: makeVm('v', { encryptedMemory: true, requiredFeatures: ['gpu', 'sev-es'] }),
      host: 'sev-gpu',
      want: 'Success',
    },
    {
      name: 'first missing feature is named',
      snapshot,
      vm: makeVm('v', { encryptedMemory: true, requiredFeatures: ['gpu'] }),
      host: 'plain',
      want: 'MissingFeature:sev-es',
    },
  ]);
});
