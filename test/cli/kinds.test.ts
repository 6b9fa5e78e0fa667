/** Kind resolution by any of its names, and the one-line error for an unknown kind. */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { qualifiedName, resolveKind } from '../../src/cli/kinds.js';

describe('resolveKind', () => {
  it.each([
    ['virtualmachines', 'VirtualMachine'],
    ['virtualmachine', 'VirtualMachine'],
    ['vm', 'VirtualMachine'],
    ['vms', 'VirtualMachine'],
    ['VirtualMachine', 'VirtualMachine'],
    ['ZONES', 'Zone'],
    ['zn', 'Zone'],
    ['ho', 'Host'],
    ['rb', 'RoleBinding'],
    ['users', 'User'],
  ])('%s -> %s', async (name, kind) => {
    expect((await resolveKind(name)).kind).toBe(kind);
  });

  it('an unknown kind is a UserError listing every kind', async () => {
    await expect(resolveKind('widgets')).rejects.toThrow(UserError);
    try {
      await resolveKind('widgets');
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).not.toContain('\n');
      for (const k of ['zones (zn)', 'hosts (ho)', 'virtualmachines (vm, vms)', 'tenants', 'users', 'roles', 'rolebindings', 'tokens']) expect(msg).toContain(k);
    }
  });

  it('qualified names use the singular', async () => {
    expect(qualifiedName(await resolveKind('vms'), 'web-1')).toBe('virtualmachine/web-1');
  });
});
