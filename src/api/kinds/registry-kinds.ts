/** Kinds of the image registry capability (projects, robot accounts, replication policies), added to the kind registry. */
import { API_VERSION, type Resource } from '../meta.js';
import type { KindDef } from '../registry.js';
import { ProjectSpecSchema } from './project.js';
import { ReplicationPolicySpecSchema, checkReplicationPolicySpec, type ReplicationPolicySpec } from './replication.js';
import { ROBOT_TENANT_LABEL, RobotAccountSpecSchema } from './robot-account.js';

const AGE = { header: 'AGE', path: 'metadata.creationTimestamp' };

function tenantField(obj: Resource): string | undefined {
  const t = (obj.spec as { tenant?: unknown } | undefined)?.tenant;
  return typeof t === 'string' ? t : undefined;
}

export const REGISTRY_KINDS: readonly KindDef[] = [
  {
    kind: 'Project',
    apiVersion: API_VERSION,
    plural: 'projects',
    singular: 'project',
    shortNames: ['proj'],
    scope: 'platform',
    specSchema: ProjectSpecSchema,
    specRequired: true,
    tenantOf: tenantField,
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'TENANT', path: 'spec.tenant' },
      { header: 'PUBLIC', path: 'spec.public' },
      { header: 'STORAGE-BYTES', path: 'status.usage.storageBytes' },
      { header: 'QUOTA-BYTES', path: 'spec.quota.storageBytes' },
      { header: 'ARTIFACTS', path: 'status.usage.artifacts' },
      { header: 'QUOTA-ARTIFACTS', path: 'spec.quota.artifacts', wide: true },
      { header: 'MEMBERS', path: 'spec.members', wide: true },
      AGE,
    ],
    userCreatable: true,
  },
  {
    kind: 'RobotAccount',
    apiVersion: API_VERSION,
    plural: 'robotaccounts',
    singular: 'robotaccount',
    shortNames: ['robot', 'robots'],
    scope: 'platform',
    specSchema: RobotAccountSpecSchema,
    specRequired: true,
    // Robots are minted by POST /registry/v1/robots, which stamps the project's tenant as a label.
    tenantOf: (obj) => obj.metadata.labels?.[ROBOT_TENANT_LABEL],
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'PROJECT', path: 'spec.project' },
      { header: 'PERMISSIONS', path: 'spec.permissions' },
      { header: 'EXPIRES', path: 'spec.expiresAt' },
      { header: 'DESCRIPTION', path: 'spec.description', wide: true },
      AGE,
    ],
    userCreatable: true,
  },
  {
    kind: 'ReplicationPolicy',
    apiVersion: API_VERSION,
    plural: 'replicationpolicies',
    singular: 'replicationpolicy',
    shortNames: ['rp', 'replication', 'replications'],
    // Admin-created: a policy moves images across tenants' trust boundaries and holds remote
    // credentials, so it belongs to no tenant (only platform-scope roles see it).
    scope: 'platform',
    specSchema: ReplicationPolicySpecSchema,
    specRequired: true,
    defaultSpec: ((s: ReplicationPolicySpec) => checkReplicationPolicySpec(s)) as (spec: never) => unknown,
    tenantOf: () => undefined,
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'DIRECTION', path: 'spec.direction' },
      { header: 'PROJECT', path: 'spec.project' },
      { header: 'REMOTE', path: 'spec.remote.url' },
      { header: 'TRIGGER', path: 'spec.trigger.type' },
      { header: 'LAST-STATE', path: 'status.executions.0.state' },
      { header: 'LAST-RUN', path: 'status.executions.0.startTime', wide: true },
      { header: 'ENABLED', path: 'spec.enabled', wide: true },
      AGE,
    ],
    userCreatable: true,
  },
];
