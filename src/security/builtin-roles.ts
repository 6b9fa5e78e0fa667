/**
 * The built-in roles every installation has. Bound at platform scope they apply to every object;
 * bound at tenant scope only to that tenant's objects (see Authorizer).
 */
import { API_VERSION, type PolicyRule, type Role } from '../api/index.js';

const READ = ['get', 'list', 'watch'] as const;
/** Resources a tenant owns: its VMs and clusters, the workloads inside them, its registry projects. */
export const TENANT_RESOURCES = [
  'virtualmachines',
  'clusters',
  'namespaces',
  'deployments',
  'replicasets',
  'pods',
  'services',
  'endpoints',
  'networkpolicies',
  'projects',
  'robotaccounts',
  'repositories',
];
/**
 * Read-only views of a tenant's objects (events are written by controllers; resource pools by
 * administrators; `usage` is the tenant's figures in `top` and `/metrics`; segments by the network).
 */
const TENANT_READ_ONLY = ['tenants', 'events', 'plans', 'resourcepools', 'usage', 'segments'];
/** Platform objects of DRS: rules administrators write, recommendations DRS writes. */
const DRS_RESOURCES = ['drsrules', 'drsrecommendations'];
/** Live migrations of a tenant's VMs: its administrators request them, everyone in scope reads them. */
const MIGRATIONS = ['vmmigrations'];

export const BUILTIN_ROLES: Readonly<Record<string, { description: string; rules: PolicyRule[] }>> = {
  'platform-admin': {
    description: 'Everything, everywhere: the vSphere administrator / PKS operator role.',
    rules: [{ verbs: ['*'], resources: ['*'] }],
  },
  viewer: {
    description: 'Read-only access to the objects of its scope (no tokens, no audit log).',
    rules: [{ verbs: [...READ], resources: ['zones', 'hosts', 'users', 'roles', 'rolebindings', 'plans', ...DRS_RESOURCES, ...TENANT_RESOURCES, ...TENANT_READ_ONLY, ...MIGRATIONS] }],
  },
  auditor: {
    description: 'Reads the audit trail and runs the isolation audit, and reads everything else.',
    rules: [
      {
        verbs: [...READ],
        resources: ['auditlog', 'isolation', 'zones', 'hosts', 'users', 'roles', 'rolebindings', ...DRS_RESOURCES, ...TENANT_RESOURCES, ...TENANT_READ_ONLY, ...MIGRATIONS],
      },
    ],
  },
  'tenant-admin': {
    description: "Full control of one tenant's objects and of who may use them.",
    rules: [
      { verbs: ['*'], resources: [...TENANT_RESOURCES, ...MIGRATIONS, 'rolebindings'] },
      { verbs: [...READ], resources: [...TENANT_READ_ONLY, 'roles'] },
    ],
  },
  'tenant-member': {
    description: "Creates and manages a tenant's VMs and clusters; reads the tenant.",
    rules: [
      { verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'], resources: [...TENANT_RESOURCES] },
      { verbs: [...READ], resources: [...TENANT_READ_ONLY, ...MIGRATIONS, 'rolebindings', 'roles'] },
    ],
  },
};

export const BUILTIN_LABEL = 'bulkhead.dev/builtin';

export function builtinRoleObjects(): Role[] {
  return Object.entries(BUILTIN_ROLES).map(([name, r]) => ({
    apiVersion: API_VERSION,
    kind: 'Role',
    metadata: { name, labels: { [BUILTIN_LABEL]: 'true' } },
    spec: { description: r.description, rules: r.rules },
  }));
}
