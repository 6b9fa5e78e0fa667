import { describe, expect, it } from 'vitest';
import type { Project, RobotAccount } from '../api/index.js';
import { Authorizer } from '../security/index.js';
import { actionsIn, type Identity } from './access.js';

const project = (spec: Partial<Project['spec'] & object> = {}): Project => ({ apiVersion: 'bulkhead.dev/v1', kind: 'Project', metadata: { name: 'shop' }, spec: { tenant: 'acme', ...spec } });
const noRbac = new Authorizer({ role: () => undefined, bindings: () => [] });
const user = (name: string, groups: string[] = []): Identity => ({ kind: 'user', principal: { user: name, groups } });
const robot = (spec: RobotAccount['spec']): Identity => ({ kind: 'robot', principal: { user: 'robot$r', groups: [] }, robot: { apiVersion: 'bulkhead.dev/v1', kind: 'RobotAccount', metadata: { name: 'r' }, spec } });
const sorted = (s: Set<string>) => [...s].sort();

describe('actionsIn', () => {
  it.each([
    ['projectAdmin', ['delete', 'pull', 'push']],
    ['maintainer', ['delete', 'pull', 'push']],
    ['developer', ['pull', 'push']],
    ['guest', ['pull']],
    ['limitedGuest', ['pull']],
  ] as const)('maps Harbor role %s to %j', (role, want) => {
    expect(sorted(actionsIn(noRbac, user('dana'), project({ members: [{ kind: 'User', name: 'dana', role }] }), 0))).toEqual(want);
  });

  it('matches group members through the principal groups, and nobody else', () => {
    const p = project({ members: [{ kind: 'Group', name: 'devs', role: 'developer' }] });
    expect(sorted(actionsIn(noRbac, user('x', ['devs']), p, 0))).toEqual(['pull', 'push']);
    expect(sorted(actionsIn(noRbac, user('y'), p, 0))).toEqual([]);
    expect(sorted(actionsIn(noRbac, { kind: 'anonymous' }, p, 0))).toEqual([]);
  });

  it('lets anyone pull a public project', () => {
    expect(sorted(actionsIn(noRbac, { kind: 'anonymous' }, project({ public: true }), 0))).toEqual(['pull']);
  });

  it('grants robots exactly their permissions on their own project until expiry', () => {
    const r = robot({ project: 'shop', permissions: ['push'], expiresAt: new Date(1000).toISOString() });
    expect(sorted(actionsIn(noRbac, r, project(), 999))).toEqual(['push']);
    expect(sorted(actionsIn(noRbac, r, project(), 1000))).toEqual([]);
    expect(sorted(actionsIn(noRbac, robot({ project: 'other', permissions: ['pull'] }), project(), 0))).toEqual([]);
  });

  it('gives tenant RBAC on repositories without membership', () => {
    const rbac = new Authorizer({
      role: () => ({ apiVersion: 'bulkhead.dev/v1', kind: 'Role', metadata: { name: 'ta' }, spec: { rules: [{ verbs: ['*'], resources: ['repositories'] }] } }),
      bindings: () => [{ apiVersion: 'bulkhead.dev/v1', kind: 'RoleBinding', metadata: { name: 'b' }, spec: { role: 'ta', tenant: 'acme', subjects: [{ kind: 'User', name: 'tina' }] } }],
    });
    expect(sorted(actionsIn(rbac, user('tina'), project(), 0))).toEqual(['delete', 'pull', 'push']);
    expect(sorted(actionsIn(rbac, user('tina'), { ...project(), spec: { tenant: 'beta' } }, 0))).toEqual([]);
  });
});
