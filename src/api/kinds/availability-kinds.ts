/**
 * Kinds of the availability capability, added to the kind registry: VmMigration, one live
 * migration. Platform-scoped like the VMs it moves; its tenant is the VM's, stamped as the
 * `bulkhead.dev/tenant` label at admission (and checked against the VM), so a tenant's
 * administrators may migrate the tenant's VMs and see their migrations, and nobody else's.
 */
import { API_VERSION } from '../meta.js';
import type { KindDef } from '../registry.js';
import { VmMigrationSpecSchema } from './vm-migration.js';

export const AVAILABILITY_KINDS: readonly KindDef[] = [
  {
    kind: 'VmMigration',
    apiVersion: API_VERSION,
    plural: 'vmmigrations',
    singular: 'vmmigration',
    shortNames: ['vmm', 'migration', 'migrations'],
    scope: 'platform',
    specSchema: VmMigrationSpecSchema,
    specRequired: true,
    tenantOf: (obj) => obj.metadata.labels?.['bulkhead.dev/tenant'],
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'VM', path: 'spec.vm' },
      { header: 'FROM', path: 'status.fromHost' },
      { header: 'TO', path: 'status.toHost' },
      { header: 'REASON', path: 'spec.reason' },
      { header: 'PHASE', path: 'status.phase' },
      { header: 'ROUNDS', path: 'status.rounds' },
      { header: 'TOTAL-MS', path: 'status.totalMs' },
      { header: 'STUN-MS', path: 'status.stunMs' },
      { header: 'MIB', path: 'status.transferredMiB', wide: true },
      { header: 'MESSAGE', path: 'status.message', wide: true },
      { header: 'AGE', path: 'metadata.creationTimestamp' },
    ],
    userCreatable: true,
  },
];
