/**
 * Admission: kind-specific rules checked after validation and authorization and before the store
 * write. Mutating steps (stamp a VM's sensitivity from its tenant, add the cleanup finalizer) and
 * validating ones (references exist, immutable fields, no privilege escalation, no orphaning).
 */
import {
  ConflictError,
  ForbiddenError,
  SENSITIVITY_LEVELS,
  ValidationError,
  type FieldCause,
  trustedKeyCauses,
  type Host,
  type ProjectSpec,
  type Resource,
  type Role,
  type RoleBinding,
  type Tenant,
  type VirtualMachine,
  type Zone,
} from '../api/index.js';
import { BUILTIN_LABEL, type Principal } from '../security/index.js';
import { validateRetention } from '../registry/retention/validate.js';
import { admitAvailability } from '../availability/admission/index.js';
import type { ServerContext } from './context.js';
import { admitCluster, admitClusterDelete } from './admission-cluster.js';
import type { Cluster } from '../api/index.js';
import { admitDrsRule, admitPoolDelete, admitResourcePool, admitVmResources, refuseRecommendationWrite } from '../balance/index.js';
import type { DrsRuleObject, ResourcePoolObject } from '../api/kinds/balance-kinds.js';

/** Finalizer that makes the VM controller release the VM in the infrastructure before it goes. */
export const VM_FINALIZER = 'bulkhead.dev/vm-cleanup';

function rank(s: string | undefined): number {
  return SENSITIVITY_LEVELS.indexOf((s ?? 'low') as (typeof SENSITIVITY_LEVELS)[number]);
}

function immutable(oldSpec: Record<string, unknown>, newSpec: Record<string, unknown>, fields: readonly string[], kind: string, name: string): void {
  const causes: FieldCause[] = [];
  for (const f of fields) {
    if (JSON.stringify(oldSpec[f]) !== JSON.stringify(newSpec[f])) causes.push({ field: `spec.${f}`, message: 'field is immutable' });
  }
  if (causes.length) throw new ValidationError(causes, { kind, name });
}

async function admitVm(ctx: ServerContext, vm: VirtualMachine, old: VirtualMachine | undefined): Promise<VirtualMachine> {
  const spec = vm.spec;
  if (!spec) return vm;
  const name = vm.metadata.name;
  if (old?.spec) {
    immutable(old.spec as Record<string, unknown>, { ...spec, sensitivity: spec.sensitivity ?? old.spec.sensitivity } as Record<string, unknown>, ['tenant', 'zone', 'sensitivity', 'cpus', 'memoryMiB', 'encryptedMemory', 'requiredFeatures', 'image'], 'VirtualMachine', name);
    return { ...vm, spec: { ...spec, sensitivity: old.spec.sensitivity } };
  }
  const tenant = await ctx.store.tryGet<Tenant>('Tenant', '', spec.tenant);
  if (!tenant?.spec) throw ValidationError.field('spec.tenant', `tenant "${spec.tenant}" does not exist`, { kind: 'VirtualMachine', name });
  const level = tenant.spec.sensitivity;
  if (spec.sensitivity && rank(spec.sensitivity) < rank(level))
    throw ValidationError.field('spec.sensitivity', `"${spec.sensitivity}" is lower than tenant "${spec.tenant}"'s level "${level}"`, { kind: 'VirtualMachine', name });
  if (spec.zone) {
    if (!(await ctx.store.tryGet<Zone>('Zone', '', spec.zone))) throw ValidationError.field('spec.zone', `zone "${spec.zone}" does not exist`, { kind: 'VirtualMachine', name });
    if (tenant.spec.zones && !tenant.spec.zones.includes(spec.zone))
      throw ValidationError.field('spec.zone', `tenant "${spec.tenant}" may only use zones ${tenant.spec.zones.join(', ')}`, { kind: 'VirtualMachine', name });
  }
  const finalizers = [...new Set([...(vm.metadata.finalizers ?? []), VM_FINALIZER])];
  return {
    ...vm,
    metadata: { ...vm.metadata, finalizers, labels: { ...vm.metadata.labels, 'bulkhead.dev/tenant': spec.tenant } },
    spec: { ...spec, sensitivity: spec.sensitivity ?? level, powerState: spec.powerState ?? 'On' },
  };
}

async function admitTenant(ctx: ServerContext, t: Tenant): Promise<Tenant> {
  for (const [i, z] of (t.spec?.zones ?? []).entries()) {
    if (!(await ctx.store.tryGet('Zone', '', z))) throw ValidationError.field(`spec.zones[${i}]`, `zone "${z}" does not exist`, { kind: 'Tenant', name: t.metadata.name });
  }
  return t;
}

async function admitRoleBinding(ctx: ServerContext, p: Principal, rb: RoleBinding): Promise<RoleBinding> {
  const spec = rb.spec;
  if (!spec) return rb;
  const name = rb.metadata.name;
  const role = await ctx.store.tryGet<Role>('Role', '', spec.role);
  if (!role) throw ValidationError.field('spec.role', `role "${spec.role}" does not exist`, { kind: 'RoleBinding', name });
  if (spec.tenant && !(await ctx.store.tryGet('Tenant', '', spec.tenant)))
    throw ValidationError.field('spec.tenant', `tenant "${spec.tenant}" does not exist`, { kind: 'RoleBinding', name });
  const missing = ctx.authorizer.missingForRole(p, role, spec.tenant);
  if (missing)
    throw new ForbiddenError(`user "${p.user}" cannot bind role "${spec.role}"${spec.tenant ? ` in tenant "${spec.tenant}"` : ' at platform scope'}: it would grant "${missing}", which the user does not hold there`);
  return rb;
}

/** Operator settings of a host; everything else in its spec is the driver's report. */
const HOST_SETTINGS = new Set(['unschedulable', 'maintenance']);

function admitHostUpdate(old: Host, next: Host): Host {
  // The hardware is reported by the driver; an operator may only cordon a host, put it in maintenance mode or label it.
  const o = { ...(old.spec as Record<string, unknown>), unschedulable: undefined, maintenance: undefined };
  const n = { ...(next.spec as Record<string, unknown>), unschedulable: undefined, maintenance: undefined };
  immutable(o, n, Object.keys({ ...o, ...n }).filter((k) => !HOST_SETTINGS.has(k)), 'Host', next.metadata.name);
  return next;
}

/** Runs the create/update rules of a kind and returns the (possibly mutated) object to store. */
export async function admitWrite(ctx: ServerContext, p: Principal, obj: Resource, old: Resource | undefined): Promise<Resource> {
  // Availability last: HA admission control, migrations and maintenance mode see the admitted object.
  return admitAvailability(ctx.store, await admitKind(ctx, p, obj, old), old);
}

async function admitKind(ctx: ServerContext, p: Principal, obj: Resource, old: Resource | undefined): Promise<Resource> {
  switch (obj.kind) {
    case 'VirtualMachine':
      // Then pools, shares, reservations and the demand profile (src/balance).
      return admitVmResources(ctx, await admitVm(ctx, obj as VirtualMachine, old as VirtualMachine | undefined), old as VirtualMachine | undefined);
    case 'Tenant':
      if (old) immutable(old.spec as Record<string, unknown>, obj.spec as Record<string, unknown>, ['sensitivity'], 'Tenant', obj.metadata.name);
      return admitTenant(ctx, obj as Tenant);
    case 'RoleBinding':
      return admitRoleBinding(ctx, p, obj as RoleBinding);
    case 'Role':
      if (old?.metadata.labels?.[BUILTIN_LABEL] === 'true') throw new ForbiddenError(`role "${obj.metadata.name}" is built in and cannot be changed`);
      return obj;
    case 'Host':
      if (old) return admitHostUpdate(old as Host, obj as Host);
      return obj;
    case 'Cluster':
      return admitCluster(ctx, obj as Cluster, old as Cluster | undefined);
    case 'Project':
      return admitProject(ctx, obj, old);
    case 'RobotAccount':
      return admitRobot(ctx, obj, old);
    case 'ResourcePool':
      return admitResourcePool(ctx, obj as ResourcePoolObject, old as ResourcePoolObject | undefined);
    case 'DrsRule':
      return admitDrsRule(ctx, obj as DrsRuleObject, old as DrsRuleObject | undefined);
    case 'DrsRecommendation':
      return refuseRecommendationWrite();
    default:
      return obj;
  }
}

/** A registry project belongs to an existing tenant, for good. */
async function admitProject(ctx: ServerContext, obj: Resource, old: Resource | undefined): Promise<Resource> {
  const spec = (obj.spec ?? {}) as { tenant?: string; members?: readonly { kind?: string; name?: string }[] };
  if (old) immutable(old.spec as Record<string, unknown>, obj.spec as Record<string, unknown>, ['tenant'], 'Project', obj.metadata.name);
  else if (!spec.tenant || !(await ctx.store.tryGet('Tenant', '', spec.tenant)))
    throw ValidationError.field('spec.tenant', `tenant "${spec.tenant ?? ''}" does not exist`, { kind: 'Project', name: obj.metadata.name });
  const causes = [...trustedKeyCauses(obj.spec as ProjectSpec), ...validateRetention(obj.spec as ProjectSpec)];
  if (causes.length) throw new ValidationError(causes, { kind: 'Project', name: obj.metadata.name });
  // Users must exist (as Harbor requires); groups come from the identity source and are not checked.
  for (const [i, m] of (spec.members ?? []).entries()) {
    if (m.kind === 'User' && m.name && !(await ctx.store.tryGet('User', '', m.name)))
      throw ValidationError.field(`spec.members[${i}].name`, `user "${m.name}" does not exist`, { kind: 'Project', name: obj.metadata.name });
  }
  return obj;
}

/** A robot account belongs to an existing project, for good. */
async function admitRobot(ctx: ServerContext, obj: Resource, old: Resource | undefined): Promise<Resource> {
  const spec = (obj.spec ?? {}) as { project?: string };
  if (old) immutable(old.spec as Record<string, unknown>, obj.spec as Record<string, unknown>, ['project'], 'RobotAccount', obj.metadata.name);
  else if (!spec.project || !(await ctx.store.tryGet('Project', '', spec.project)))
    throw ValidationError.field('spec.project', `project "${spec.project ?? ''}" does not exist`, { kind: 'RobotAccount', name: obj.metadata.name });
  return obj;
}

/** Refuses deletes that would orphan or break other objects. */
export async function admitDelete(ctx: ServerContext, obj: Resource): Promise<void> {
  const name = obj.metadata.name;
  await admitClusterDelete(ctx, obj.kind, name);
  switch (obj.kind) {
    case 'Tenant': {
      const vms = await ctx.store.list<VirtualMachine>('VirtualMachine', { labelSelector: `bulkhead.dev/tenant=${name}`, limit: 1 });
      if (vms.items.length) throw new ConflictError(`tenant "${name}" still owns virtual machines; delete them first`);
      return;
    }
    case 'Zone': {
      const hosts = (await ctx.store.list<Host>('Host')).items.filter((h) => h.spec?.zone === name);
      if (hosts.length) throw new ConflictError(`zone "${name}" still has ${hosts.length} hosts`);
      return;
    }
    case 'Role':
      if (obj.metadata.labels?.[BUILTIN_LABEL] === 'true') throw new ForbiddenError(`role "${name}" is built in and cannot be deleted`);
      return;
    case 'User':
      if (name === 'admin') throw new ForbiddenError('the first administrator cannot be deleted');
      return;
    case 'ResourcePool':
      return admitPoolDelete(ctx, obj as ResourcePoolObject);
    case 'Project': {
      // Kind name shared with src/registry/metadata-kinds.ts (RegistryRepository, ns = project).
      const repos = await ctx.store.list('RegistryRepository', { namespace: name, limit: 1 });
      if (repos.items.length) throw new ConflictError(`project "${name}" still holds repositories; delete its images first`);
      return;
    }
    default:
      return;
  }
}
