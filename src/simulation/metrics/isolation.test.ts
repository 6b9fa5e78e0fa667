import { describe, expect, it } from 'vitest';
import type { IsolationMode, Sensitivity } from '../../api/index.js';
import type { Machine, NodeState, PodState } from '../engine/world.js';
import { auditIsolation, type Placement } from './isolation.js';

const machine = (tenant: string, sensitivity: Sensitivity, podTenants: readonly string[] = []): Machine => {
  const node = { pods: new Set<PodState>() } as unknown as NodeState;
  const m = { tenant, sensitivity, node } as unknown as Machine;
  for (const t of podTenants) node.pods.add({ running: true, workload: { spec: { tenant: t } } } as unknown as PodState);
  return m;
};
const at = (host: string, m: Machine): Placement => ({ host, machine: m });

describe('auditIsolation', () => {
  it.each([
    ['per-sensitivity, one level', 'per-sensitivity', [at('h1', machine('a', 'low')), at('h1', machine('b', 'low'))], 0],
    ['per-sensitivity, two levels on a host', 'per-sensitivity', [at('h1', machine('a', 'low')), at('h1', machine('b', 'high'))], 1],
    ['per-tenant, two tenants on a host', 'per-tenant', [at('h1', machine('a', 'low')), at('h1', machine('b', 'low'))], 1],
    ['per-tenant, tenants on separate hosts', 'per-tenant', [at('h1', machine('a', 'low')), at('h2', machine('b', 'low'))], 0],
    ['shared allows anything', 'shared', [at('h1', machine('a', 'low')), at('h1', machine('b', 'high'))], 0],
    ['a pod on another tenant\'s node', 'shared', [at('h1', machine('a', 'low', ['a', 'b']))], 1],
  ] as const)('%s: %d violations', (_name, mode, placements, violations) => {
    const a = auditIsolation(placements, () => mode as IsolationMode);
    expect(a.hostViolations + a.podViolations).toBe(violations);
  });

  it('counts tenants per host', () => {
    const a = auditIsolation([at('h1', machine('a', 'low')), at('h1', machine('b', 'low')), at('h1', machine('b', 'low')), at('h2', machine('c', 'low'))], () => 'shared');
    expect(a).toMatchObject({ maxTenantsPerHost: 2, meanTenantsPerHost: 1.5 });
  });
});
