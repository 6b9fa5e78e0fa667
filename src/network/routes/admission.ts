/**
 * Admission for the network's platform kinds, served by the generic resource routes: a hook that
 * runs before their handler (for principals allowed the write; others get the handler's 403)
 * and refuses, naming the field, what the engine could not enforce: an AdminNetworkPolicy that
 * fails the engine's validation or names a NetworkGroup that does not exist, a reserved name or
 * the built-in isolation's tier and priority; a NetworkGroup that is invalid, or deleted while a
 * policy references it. Segments are the network's own: no one writes them through the API.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BulkheadError, ConflictError, ValidationError, type FieldCause } from '../../api/index.js';
import type { AdminNetworkPolicyObject, NetworkGroupObject } from '../../api/kinds/network-kinds.js';
import type { RouteContext } from '../../platform/extension.js';
import { API_PREFIX } from '../../server/index.js';
import { validateAdminGroup, validateAdminPolicy, type GroupSpec, type GroupsByName } from '../policy/index.js';
import { ISOLATION_PREFIX, ISOLATION_PRIORITY, ISOLATION_TIER } from '../controllers/tenant-isolation.js';

const VERBS: Readonly<Record<string, string>> = { POST: 'create', PUT: 'update', DELETE: 'delete' };
const ROUTES = new Set([`${API_PREFIX}/:plural`, `${API_PREFIX}/:plural/:name`]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function groupsOf(ctx: RouteContext): Promise<GroupsByName> {
  const { items } = await ctx.store.list<NetworkGroupObject>('NetworkGroup');
  return new Map(items.map((g) => [g.metadata.name, (g.spec ?? {}) as unknown as GroupSpec]));
}

async function policies(ctx: RouteContext): Promise<AdminNetworkPolicyObject[]> {
  return (await ctx.store.list<AdminNetworkPolicyObject>('AdminNetworkPolicy')).items;
}

/** Group names a policy spec references, with the field that does. */
function groupRefs(spec: unknown): { group: string; field: string }[] {
  if (!isRecord(spec)) return [];
  const out: { group: string; field: string }[] = [];
  const applied = spec['appliedTo'];
  if (isRecord(applied) && typeof applied['group'] === 'string') out.push({ group: applied['group'], field: 'spec.appliedTo.group' });
  const rules = Array.isArray(spec['rules']) ? (spec['rules'] as unknown[]) : [];
  rules.forEach((r, i) => {
    const peers = isRecord(r) && Array.isArray(r['peers']) ? (r['peers'] as unknown[]) : [];
    peers.forEach((p, j) => {
      if (isRecord(p) && typeof p['group'] === 'string') out.push({ group: p['group'], field: `spec.rules[${i}].peers[${j}].group` });
    });
  });
  return out;
}

async function admitPolicy(ctx: RouteContext, name: string, spec: unknown): Promise<void> {
  const causes: FieldCause[] = [];
  if (name.startsWith(ISOLATION_PREFIX)) causes.push({ field: 'metadata.name', message: `names starting with "${ISOLATION_PREFIX}" are reserved for the built-in tenant isolation` });
  causes.push(...validateAdminPolicy(spec, await groupsOf(ctx)));
  if (isRecord(spec) && spec['tier'] === ISOLATION_TIER && spec['priority'] === ISOLATION_PRIORITY)
    causes.push({ field: 'spec.priority', message: `${ISOLATION_PRIORITY} is reserved in the ${ISOLATION_TIER} tier for the built-in tenant isolation (use 1-${ISOLATION_PRIORITY - 1})` });
  if (causes.length > 0) throw new ValidationError(causes, { kind: 'AdminNetworkPolicy', name });
}

async function admitGroup(ctx: RouteContext, name: string, spec: unknown): Promise<void> {
  const causes = validateAdminGroup(spec);
  if (isRecord(spec) && spec['ipBlocks'] !== undefined) {
    const users = (await policies(ctx)).filter((p) => groupRefs(p.spec).some((r) => r.group === name && r.field === 'spec.appliedTo.group'));
    if (users.length > 0) causes.push({ field: 'spec.ipBlocks', message: `may not be used: admin policies ${users.map((p) => p.metadata.name).join(', ')} apply to this group, and a policy applies to pods, not addresses` });
  }
  if (causes.length > 0) throw new ValidationError(causes, { kind: 'NetworkGroup', name });
}

async function admitGroupDelete(ctx: RouteContext, name: string): Promise<void> {
  const users = (await policies(ctx)).filter((p) => groupRefs(p.spec).some((r) => r.group === name));
  if (users.length > 0) throw new ConflictError(`NetworkGroup "${name}" is referenced by admin policies ${users.map((p) => p.metadata.name).join(', ')}; remove the references first`);
}

async function admit(ctx: RouteContext, req: FastifyRequest): Promise<void> {
  if (!ROUTES.has(req.routeOptions.url ?? '')) return;
  const params = req.params as { plural?: string; name?: string };
  const plural = params.plural ?? '';
  if (plural !== 'adminnetworkpolicies' && plural !== 'networkgroups' && plural !== 'segments') return;
  const verb = VERBS[req.method];
  const p = req.principal;
  if (!verb || !p || !ctx.authorizer.allows(p, verb, plural, undefined)) return;
  const body = isRecord(req.body) ? req.body : {};
  const meta = isRecord(body['metadata']) ? body['metadata'] : {};
  const name = params.name ?? (typeof meta['name'] === 'string' ? meta['name'] : '');
  req.auditInfo = { verb, resource: plural, ...(name ? { name } : {}) };
  try {
    if (plural === 'segments') throw new BulkheadError(405, 'MethodNotAllowed', 'segments are allocated and released by the network (with their cluster or namespace); they cannot be written through the API');
    if (plural === 'adminnetworkpolicies' && verb !== 'delete') await admitPolicy(ctx, name, body['spec']);
    if (plural === 'networkgroups') await (verb === 'delete' ? admitGroupDelete(ctx, name) : admitGroup(ctx, name, body['spec']));
  } catch (e) {
    if (e instanceof BulkheadError) req.auditInfo.reason = e.message;
    throw e;
  }
}

/** Installs the admission hook (the generic routes call no kind-specific code of extensions). */
export function registerNetworkAdmission(app: FastifyInstance, ctx: RouteContext): void {
  app.addHook('preHandler', (req) => admit(ctx, req));
}
