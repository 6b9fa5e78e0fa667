import { describe, expect, it } from 'vitest';
import { findWorkloadKind, type KindDef } from '../api/index.js';
import { resolveAnyKind, splitNamespacedName, workloadPath } from './workloads.js';

const k = (n: string): KindDef => {
  const d = findWorkloadKind(n);
  if (!d) throw new Error(n);
  return d;
};

describe('-c CLUSTER paths', () => {
  it.each([
    ['pods', 'shop', undefined, '/clusters/web/api/v1/namespaces/shop/pods'],
    ['pod', 'shop', 'api-1', '/clusters/web/api/v1/namespaces/shop/pods/api-1'],
    ['deploy', 'shop', 'api', '/clusters/web/apis/apps/v1/namespaces/shop/deployments/api'],
    ['svc', undefined, undefined, '/clusters/web/api/v1/services'],
    ['ns', undefined, 'shop', '/clusters/web/api/v1/namespaces/shop'],
  ])('%s in %s named %s', (kind, ns, name, want) => {
    expect(workloadPath('web', k(kind), ns, name)).toBe(want);
  });
  it('reads ns/name or -n', () => {
    expect(splitNamespacedName('shop/api-7x2k', undefined)).toEqual({ ns: 'shop', name: 'api-7x2k' });
    expect(splitNamespacedName('api', 'shop')).toEqual({ ns: 'shop', name: 'api' });
    expect(splitNamespacedName('api', undefined)).toEqual({ ns: 'default', name: 'api' });
  });
  it('resolves platform kinds first, then workload kinds', async () => {
    expect(await resolveAnyKind('vms')).toMatchObject({ workload: false });
    expect(await resolveAnyKind('deployments')).toMatchObject({ workload: true });
    await expect(resolveAnyKind('gizmos')).rejects.toThrow(/unknown kind "gizmos"; known kinds: .*pods \(po\)/);
  });
});
