/**
 * RBAC evaluation. A RoleBinding grants its Role's rules to users and groups, at platform scope
 * (every object) or at one tenant's scope (only objects whose tenant is that tenant). Reads come
 * from informer caches, so a check costs no store round trip.
 */
import type { PolicyRule, Role, RoleBinding } from '../api/index.js';
import type { Principal } from './principal.js';

/** Where a principal may do something: everywhere, or in these tenants. */
export interface Scope {
  readonly all: boolean;
  readonly tenants: ReadonlySet<string>;
}

export interface Grant {
  readonly role: string;
  readonly tenant?: string;
  readonly binding: string;
}

/** Read access to the current roles and bindings (informer caches in the server). */
export interface RbacSource {
  role(name: string): Role | undefined;
  bindings(): readonly RoleBinding[];
}

function ruleMatches(rule: PolicyRule, verb: string, resource: string): boolean {
  const verbOk = rule.verbs.includes('*') || (rule.verbs as readonly string[]).includes(verb);
  if (!verbOk) return false;
  return rule.resources.some((r) => {
    if (r === '*' || r === resource) return true;
    if (r.endsWith('/*')) return resource.startsWith(r.slice(0, -1));
    return false;
  });
}

export class Authorizer {
  constructor(private readonly source: RbacSource) {}

  /** The bindings that apply to a principal. */
  grants(p: Principal): Grant[] {
    const out: Grant[] = [];
    for (const b of this.source.bindings()) {
      const spec = b.spec;
      if (!spec) continue;
      const hit = spec.subjects.some((s) => (s.kind === 'User' ? s.name === p.user : p.groups.includes(s.name)));
      if (hit) out.push({ role: spec.role, binding: b.metadata.name, ...(spec.tenant ? { tenant: spec.tenant } : {}) });
    }
    return out;
  }

  /** Where `p` may do `verb` on `resource` (plural, optionally `plural/subresource`). */
  scope(p: Principal, verb: string, resource: string): Scope {
    let all = false;
    const tenants = new Set<string>();
    for (const g of this.grants(p)) {
      const role = this.source.role(g.role);
      if (!role?.spec?.rules.some((r) => ruleMatches(r, verb, resource))) continue;
      if (g.tenant === undefined) all = true;
      else tenants.add(g.tenant);
    }
    return { all, tenants };
  }

  /** Whether `p` may do `verb` on an object of `resource` belonging to `tenant` (undefined: a platform object). */
  allows(p: Principal, verb: string, resource: string, tenant: string | undefined): boolean {
    const s = this.scope(p, verb, resource);
    return s.all || (tenant !== undefined && s.tenants.has(tenant));
  }

  /**
   * Escalation check (as Kubernetes does for RoleBindings): one may only grant a role whose every
   * permission one holds oneself at the binding's scope. Returns the first missing permission.
   */
  missingForRole(p: Principal, role: Role, tenant: string | undefined): string | undefined {
    for (const rule of role.spec?.rules ?? []) {
      for (const verb of rule.verbs) {
        for (const resource of rule.resources) {
          const s = this.scope(p, verb, resource);
          const held = s.all || (tenant !== undefined && s.tenants.has(tenant));
          if (!held) return `${verb} ${resource}`;
        }
      }
    }
    return undefined;
  }
}
