// RBAC: the built-in roles bound at platform or tenant scope, through a fake RbacSource, and the
// escalation check that stops a tenant admin from handing out more than it holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_VERSION, type PolicyRule, type Role, type RoleBinding, type Subject } from '../api/index.js';
import { Authorizer, type RbacSource } from './authorizer.js';
import { builtinRoleObjects } from './builtin-roles.js';
import type { Principal } from './principal.js';

function role(name: string, rules: PolicyRule[]): Role {
  return { apiVersion: API_VERSION, kind: 'Role', metadata: { name }, spec: { rules } };
}

function binding(name: string, roleName: string, subjects: Subject[], tenant?: string): RoleBinding {
  return { apiVersion: API_VERSION, kind: 'RoleBinding', metadata: { name }, spec: { role: roleName, subjects, ...(tenant ? { tenant } : {}) } };
}

const user = (name: string): Subject => ({ kind: 'User', name });
const group = (name: string): Subject => ({ kind: 'Group', name });
const principal = (name: string, groups: string[] = []): Principal => ({ user: name, groups });

/** An RbacSource over fixed lists: the built-in roles plus `extraRoles`. */
function source(bindings: RoleBinding[], extraRoles: Role[] = []): RbacSource {
  const roles = new Map([...builtinRoleObjects(), ...extraRoles].map((r) => [r.metadata.name, r]));
  return { role: (n) => roles.get(n), bindings: () => bindings };
}

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'delete'] as const;
const RESOURCES = ['zones', 'hosts', 'hosts/fault', 'virtualmachines', 'tenants', 'users', 'roles', 'rolebindings', 'tokens', 'auditlog'];

const authz = new Authorizer(
  source([
    binding('admins', 'platform-admin', [user('root')]),
    binding('viewers', 'viewer', [user('vera')]),
    binding('acme-admins', 'tenant-admin', [user('alice')], 'acme'),
    binding('beta-admins', 'tenant-admin', [user('bob')], 'beta'),
    binding('acme-devs', 'tenant-member', [group('acme-devs')], 'acme'),
    binding('ops', 'viewer', [group('ops')]),
  ]),
);

describe('Authorizer with the built-in roles', () => {
  it('platform-admin may do everything, on platform and tenant objects', () => {
    for (const verb of VERBS)
      for (const resource of RESOURCES)
        for (const tenant of [undefined, 'acme', 'beta']) expect(authz.allows(principal('root'), verb, resource, tenant), `${verb} ${resource} ${tenant}`).toBe(true);
  });

  it('viewer may get, list and watch, and nothing else', () => {
    const vera = principal('vera');
    for (const resource of ['zones', 'hosts', 'virtualmachines', 'tenants']) {
      for (const verb of ['get', 'list', 'watch']) expect(authz.allows(vera, verb, resource, undefined)).toBe(true);
      for (const verb of ['create', 'update', 'delete']) expect(authz.allows(vera, verb, resource, undefined)).toBe(false);
    }
    expect(authz.allows(vera, 'get', 'tokens', undefined)).toBe(false);
    expect(authz.allows(vera, 'list', 'auditlog', undefined)).toBe(false);
  });

  it("tenant-admin of acme controls acme's objects, not beta's nor platform objects", () => {
    const alice = principal('alice');
    for (const verb of VERBS) {
      expect(authz.allows(alice, verb, 'virtualmachines', 'acme')).toBe(true);
      expect(authz.allows(alice, verb, 'rolebindings', 'acme')).toBe(true);
      expect(authz.allows(alice, verb, 'virtualmachines', 'beta')).toBe(false);
      expect(authz.allows(alice, verb, 'virtualmachines', undefined)).toBe(false);
      expect(authz.allows(alice, verb, 'hosts', 'acme')).toBe(false);
    }
    expect(authz.allows(alice, 'get', 'tenants', 'acme')).toBe(true);
    expect(authz.allows(alice, 'update', 'tenants', 'acme')).toBe(false);
    expect(authz.allows(alice, 'get', 'tenants', 'beta')).toBe(false);
    expect(authz.allows(alice, 'list', 'zones', undefined)).toBe(false);
  });

  it('a principal with no binding may do nothing', () => {
    const nobody = principal('mallory', ['nobody']);
    for (const verb of VERBS) for (const resource of RESOURCES) expect(authz.allows(nobody, verb, resource, 'acme')).toBe(false);
    expect(authz.grants(nobody)).toEqual([]);
  });

  it('group subjects grant to every member of the group, and only to members', () => {
    const dev = principal('dan', ['acme-devs']);
    expect(authz.allows(dev, 'create', 'virtualmachines', 'acme')).toBe(true);
    expect(authz.allows(dev, 'create', 'rolebindings', 'acme')).toBe(false);
    expect(authz.allows(dev, 'create', 'virtualmachines', 'beta')).toBe(false);
    // A user named like the group is not a member of it.
    expect(authz.allows(principal('acme-devs'), 'get', 'virtualmachines', 'acme')).toBe(false);
    expect(authz.allows(principal('olga', ['ops']), 'list', 'hosts', undefined)).toBe(true);
    expect(authz.grants(principal('x', ['ops', 'acme-devs']))).toEqual([
      { role: 'tenant-member', tenant: 'acme', binding: 'acme-devs' },
      { role: 'viewer', binding: 'ops' },
    ]);
  });

  it('scope() says everywhere for platform bindings and lists tenants for tenant bindings', () => {
    expect(authz.scope(principal('root'), 'delete', 'virtualmachines')).toEqual({ all: true, tenants: new Set() });
    expect(authz.scope(principal('alice'), 'delete', 'virtualmachines')).toEqual({ all: false, tenants: new Set(['acme']) });
    expect(authz.scope(principal('alice', ['acme-devs']), 'list', 'virtualmachines')).toEqual({ all: false, tenants: new Set(['acme']) });
    const both = new Authorizer(
      source([binding('a', 'tenant-member', [user('u')], 'acme'), binding('b', 'tenant-member', [user('u')], 'beta')]),
    );
    expect(both.scope(principal('u'), 'create', 'virtualmachines')).toEqual({ all: false, tenants: new Set(['acme', 'beta']) });
    expect(both.scope(principal('u'), 'create', 'hosts')).toEqual({ all: false, tenants: new Set() });
    expect(authz.scope(principal('vera'), 'get', 'hosts')).toEqual({ all: true, tenants: new Set() });
  });

  it('a binding to a role that does not exist grants nothing', () => {
    const a = new Authorizer(source([binding('ghost', 'no-such-role', [user('u')])]));
    expect(a.allows(principal('u'), 'get', 'hosts', undefined)).toBe(false);
  });
});

describe('resource and verb matching', () => {
  const custom = new Authorizer(
    source(
      [binding('p', 'plain', [user('plain')]), binding('s', 'sub', [user('sub')]), binding('w', 'wild', [user('wild')]), binding('v', 'verbs', [user('verbs')])],
      [
        role('plain', [{ verbs: ['*'], resources: ['hosts'] }]),
        role('sub', [{ verbs: ['*'], resources: ['hosts/*'] }]),
        role('wild', [{ verbs: ['update'], resources: ['*'] }]),
        role('verbs', [{ verbs: ['get'], resources: ['hosts'] }, { verbs: ['delete'], resources: ['zones'] }]),
      ],
    ),
  );

  it.each([
    ['plain', 'hosts', true],
    ['plain', 'hosts/fault', false],
    ['plain', 'hostsx', false],
    ['sub', 'hosts/fault', true],
    ['sub', 'hosts/drain', true],
    ['sub', 'hosts', false],
    ['sub', 'hostsx/fault', false],
    ['wild', 'hosts', true],
    ['wild', 'hosts/fault', true],
    ['wild', 'anything', true],
  ] as const)('%s role on %s: %s', (who, resource, want) => {
    expect(custom.allows(principal(who), 'update', resource, undefined)).toBe(want);
  });

  it('a rule grants its verbs on its resources only, not across rules', () => {
    const p = principal('verbs');
    expect(custom.allows(p, 'get', 'hosts', undefined)).toBe(true);
    expect(custom.allows(p, 'delete', 'zones', undefined)).toBe(true);
    expect(custom.allows(p, 'delete', 'hosts', undefined)).toBe(false);
    expect(custom.allows(p, 'get', 'zones', undefined)).toBe(false);
    expect(custom.allows(principal('wild'), 'get', 'hosts', undefined)).toBe(false);
  });
});

describe('missingForRole (escalation check)', () => {
  const roles = new Map(builtinRoleObjects().map((r) => [r.metadata.name, r]));
  const get = (n: string): Role => {
    const r = roles.get(n);
    if (!r) throw new Error(`no built-in role ${n}`);
    return r;
  };
  const alice = principal('alice');

  it('tenant-admin cannot grant platform-admin, at platform or its own tenant scope', () => {
    expect(authz.missingForRole(alice, get('platform-admin'), undefined)).toBe('* *');
    expect(authz.missingForRole(alice, get('platform-admin'), 'acme')).toBe('* *');
  });

  it('tenant-admin can grant tenant-member in its own tenant, not in another nor platform-wide', () => {
    expect(authz.missingForRole(alice, get('tenant-member'), 'acme')).toBeUndefined();
    expect(authz.missingForRole(alice, get('tenant-admin'), 'acme')).toBeUndefined();
    expect(authz.missingForRole(alice, get('tenant-member'), 'beta')).toBe('get virtualmachines');
    expect(authz.missingForRole(alice, get('tenant-member'), undefined)).toBe('get virtualmachines');
  });

  it('tenant-admin cannot grant viewer (it reads platform objects it cannot read)', () => {
    expect(authz.missingForRole(alice, get('viewer'), 'acme')).toBe('get zones');
  });

  it('platform-admin can grant anything anywhere; viewer can grant nothing that writes', () => {
    for (const r of roles.values()) {
      expect(authz.missingForRole(principal('root'), r, undefined)).toBeUndefined();
      expect(authz.missingForRole(principal('root'), r, 'beta')).toBeUndefined();
    }
    expect(authz.missingForRole(principal('vera'), get('tenant-member'), undefined)).toBe('create virtualmachines');
    expect(authz.missingForRole(principal('vera'), get('viewer'), undefined)).toBeUndefined();
  });
});

describe('property: tenant-scoped bindings stay in their tenants', () => {
  const TENANTS = ['acme', 'beta', 'gamma', 'delta'];
  const ROLES = ['platform-admin', 'viewer', 'auditor', 'tenant-admin', 'tenant-member'];
  const arbBinding = fc.record({
    role: fc.constantFrom(...ROLES),
    tenant: fc.constantFrom(...TENANTS),
    subject: fc.oneof(fc.constant(user('p')), fc.constantFrom(...['g1', 'g2'].map(group)), fc.constant(user('someone-else'))),
  });

  it('a principal with only tenant-scoped bindings is never allowed on another tenant nor on platform objects', () => {
    fc.assert(
      fc.property(
        fc.array(arbBinding, { maxLength: 6 }),
        // Platform-scoped bindings for other principals must not leak to p either.
        fc.array(fc.constantFrom(...ROLES), { maxLength: 2 }),
        fc.constantFrom(...VERBS, '*'),
        fc.constantFrom(...RESOURCES, '*'),
        fc.constantFrom(...TENANTS, undefined),
        (bs, platformRoles, verb, resource, tenant) => {
          const bindings = [
            ...bs.map((b, i) => binding(`b${i}`, b.role, [b.subject], b.tenant)),
            ...platformRoles.map((r, i) => binding(`plat${i}`, r, [user('someone-else'), group('admins')])),
          ];
          const a = new Authorizer(source(bindings));
          const p = principal('p', ['g1', 'g2']);
          const mine = new Set(bs.filter((b) => b.subject.name !== 'someone-else').map((b) => b.tenant));
          const allowed = a.allows(p, verb, resource, tenant);
          if (tenant === undefined || !mine.has(tenant)) expect(allowed).toBe(false);
          expect(a.scope(p, verb, resource).all).toBe(false);
          for (const t of a.scope(p, verb, resource).tenants) expect(mine.has(t)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
