/**
 * Who may do what in a project. Actions are the OCI scope's: pull, push, delete. Sources, unioned:
 *   - platform RBAC on `repositories` in the project's tenant (get -> pull, create/update -> push,
 *     delete -> delete), so platform admins and tenant admins/members need no membership;
 *   - the project's members with Harbor's roles (User by name, Group by the principal's groups);
 *   - a public project: pull for everyone, anonymous included;
 *   - a robot account: exactly its permissions on its own project until it expires.
 */
import type { Project, ProjectRole, RobotAccount } from '../api/index.js';
import type { Authorizer, Principal } from '../security/index.js';

export const REGISTRY_ACTIONS = ['pull', 'push', 'delete'] as const;
export type RegistryAction = (typeof REGISTRY_ACTIONS)[number];

/** Harbor's role matrix, restricted to repository actions. */
export const ROLE_ACTIONS: Readonly<Record<ProjectRole, readonly RegistryAction[]>> = {
  projectAdmin: ['pull', 'push', 'delete'],
  maintainer: ['pull', 'push', 'delete'],
  developer: ['pull', 'push'],
  guest: ['pull'],
  limitedGuest: ['pull'],
};

/** The caller of a /v2 request, once credentials are checked. */
export type Identity =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'user'; readonly principal: Principal }
  | { readonly kind: 'robot'; readonly principal: Principal; readonly robot: RobotAccount };

const RBAC_VERBS: Readonly<Record<RegistryAction, readonly string[]>> = { pull: ['get'], push: ['create', 'update'], delete: ['delete'] };

/** The actions `who` holds in `project` at time `now` (ms). */
export function actionsIn(authorizer: Authorizer, who: Identity, project: Project, now: number): Set<RegistryAction> {
  const out = new Set<RegistryAction>();
  const spec = project.spec;
  if (!spec) return out;
  if (spec.public) out.add('pull');
  if (who.kind === 'robot') {
    const r = who.robot.spec;
    const live = r && !r.disabled && r.project === project.metadata.name && (r.expiresAt === undefined || Date.parse(r.expiresAt) > now);
    if (live) for (const p of r.permissions) out.add(p);
    return out;
  }
  if (who.kind === 'anonymous') return out;
  const p = who.principal;
  for (const action of REGISTRY_ACTIONS) {
    if (RBAC_VERBS[action].some((verb) => authorizer.allows(p, verb, 'repositories', spec.tenant))) out.add(action);
  }
  for (const m of spec.members ?? []) {
    const hit = m.kind === 'User' ? m.name === p.user : p.groups.includes(m.name);
    if (hit) for (const a of ROLE_ACTIONS[m.role]) out.add(a);
  }
  return out;
}

/** The name audit entries and principals carry for the caller. */
export function userOf(who: Identity): string {
  return who.kind === 'anonymous' ? 'anonymous' : who.principal.user;
}
