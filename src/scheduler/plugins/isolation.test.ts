import { describe } from 'vitest';
import { makeHost, makeTenant, makeVm, makeZone } from '../fixtures.js';
import { runFilterConformance } from '../plugin.conformance.js';
import { ClusterSnapshot } from '../snapshot.js';
import { IsolationFilter } from './isolation.js';

// In each zone: an empty host, a host holding tenant `a` (low), a host holding `b` (high).
const zones = [makeZone('shared', 'shared'), makeZone('sens', 'per-sensitivity'), makeZone('tenant', 'per-tenant')];
const hosts = zones.flatMap((z) => ['empty', 'a', 'b'].map((s) => makeHost(`${z.metadata.name}-${s}`, { zone: z.metadata.name })));
const vms = zones.flatMap((z) => [
  makeVm(`${z.metadata.name}-a1`, { tenant: 'a', host: `${z.metadata.name}-a` }),
  makeVm(`${z.metadata.name}-b1`, { tenant: 'b', host: `${z.metadata.name}-b` }),
]);
const snapshot = ClusterSnapshot.build({
  zones,
  tenants: [makeTenant('a', 'low'), makeTenant('a2', 'low'), makeTenant('b', 'high')],
  hosts,
  vms,
});
const a = makeVm('new-a', { tenant: 'a' });
const a2 = makeVm('new-a2', { tenant: 'a2' });
const b = makeVm('new-b', { tenant: 'b' });
const bLow = makeVm('new-b-low', { tenant: 'b', sensitivity: 'low' });

describe('IsolationFilter', () => {
  runFilterConformance(() => new IsolationFilter(), [
    { name: 'shared: empty host', snapshot, vm: a, host: 'shared-empty', want: 'Success' },
    { name: 'shared: other tenant and sensitivity are fine', snapshot, vm: b, host: 'shared-a', want: 'Success' },
    { name: 'per-sensitivity: empty host', snapshot, vm: b, host: 'sens-empty', want: 'Success' },
    { name: 'per-sensitivity: same level, other tenant', snapshot, vm: a2, host: 'sens-a', want: 'Success' },
    { name: 'per-sensitivity: high onto low', snapshot, vm: b, host: 'sens-a', want: 'SensitivityIsolation', code: 'Unschedulable' },
    { name: 'per-sensitivity: low onto high', snapshot, vm: a, host: 'sens-b', want: 'SensitivityIsolation' },
    { name: "per-sensitivity: the VM's own level beats its tenant's", snapshot, vm: bLow, host: 'sens-a', want: 'Success' },
    { name: 'per-tenant: empty host', snapshot, vm: a2, host: 'tenant-empty', want: 'Success' },
    { name: 'per-tenant: same tenant', snapshot, vm: a, host: 'tenant-a', want: 'Success' },
    { name: 'per-tenant: other tenant, same sensitivity', snapshot, vm: a2, host: 'tenant-a', want: 'TenantIsolation', code: 'Unschedulable' },
    { name: 'per-tenant: other tenant', snapshot, vm: b, host: 'tenant-a', want: 'TenantIsolation' },
  ]);
});
