// The isolation audit over hand-made objects: what each zone mode forbids on one host, VMs marked
// below their tenant's level, and which VMs count as placed.
import { describe, expect, it } from 'vitest';
import {
  API_VERSION,
  type Host,
  type IsolationMode,
  type Sensitivity,
  type Tenant,
  type VirtualMachine,
  type VmPhase,
  type Zone,
} from '../api/index.js';
import { auditIsolation } from './isolation-audit.js';

const zone = (name: string, isolation?: IsolationMode): Zone => ({ apiVersion: API_VERSION, kind: 'Zone', metadata: { name }, spec: isolation ? { isolation } : {} });
const host = (name: string, zoneName: string): Host => ({
  apiVersion: API_VERSION,
  kind: 'Host',
  metadata: { name },
  spec: { zone: zoneName, sockets: 1, cores: 16, memoryMiB: 65536, nicMbps: 10_000, numaNodes: [{ id: 0, socket: 0, cores: 16, memoryMiB: 65536 }] },
});
const tenant = (name: string, sensitivity: Sensitivity): Tenant => ({ apiVersion: API_VERSION, kind: 'Tenant', metadata: { name }, spec: { sensitivity } });
function vm(name: string, tenantName: string, sensitivity: Sensitivity | undefined, hostName?: string, phase: VmPhase = 'Running'): VirtualMachine {
  return {
    apiVersion: API_VERSION,
    kind: 'VirtualMachine',
    metadata: { name },
    spec: { tenant: tenantName, cpus: 1, memoryMiB: 512, ...(sensitivity ? { sensitivity } : {}) },
    status: { phase, ...(hostName ? { host: hostName } : {}) },
  };
}

const zones = [zone('sens', 'per-sensitivity'), zone('ten', 'per-tenant'), zone('shr', 'shared'), zone('dflt')];
const hosts = ['sens', 'ten', 'shr', 'dflt'].flatMap((z) => [host(`${z}-1`, z), host(`${z}-2`, z)]);
const tenants = [tenant('acme', 'low'), tenant('acme2', 'low'), tenant('beta', 'high')];

describe('auditIsolation', () => {
  it('a clean placement has no violations and counts what it checked', () => {
    const vms = [vm('a1', 'acme', 'low', 'sens-1'), vm('a2', 'acme2', 'low', 'sens-1'), vm('b1', 'beta', 'high', 'sens-2'), vm('t1', 'acme', 'low', 'ten-1'), vm('t2', 'acme', 'low', 'ten-1')];
    expect(auditIsolation(zones, hosts, vms, tenants)).toEqual({ violations: [], checkedHosts: 8, checkedVms: 5 });
  });

  it('per-sensitivity: mixed levels on one host is a violation naming the host and the levels', () => {
    const vms = [vm('a1', 'acme', 'low', 'sens-1'), vm('b1', 'beta', 'high', 'sens-1'), vm('a2', 'acme', 'low', 'sens-2')];
    const { violations } = auditIsolation(zones, hosts, vms, tenants);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ host: 'sens-1', zone: 'sens', isolation: 'per-sensitivity' });
    expect(violations[0]?.reason).toBe('VMs of sensitivity levels high, low share the host');
    expect(violations[0]?.vms.map((v) => v.name).sort()).toEqual(['a1', 'b1']);
    expect(violations[0]?.vms).toContainEqual({ name: 'b1', tenant: 'beta', sensitivity: 'high' });
  });

  it('a zone without isolation set is audited as per-sensitivity (the default)', () => {
    const vms = [vm('a1', 'acme', 'low', 'dflt-1'), vm('m1', 'beta', 'moderate', 'dflt-1')];
    const { violations } = auditIsolation(zones, hosts, vms, [tenant('acme', 'low'), tenant('beta', 'moderate')]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ host: 'dflt-1', isolation: 'per-sensitivity', reason: 'VMs of sensitivity levels low, moderate share the host' });
  });

  it('per-tenant: two tenants on one host is a violation even at the same level', () => {
    const vms = [vm('a1', 'acme', 'low', 'ten-1'), vm('c1', 'acme2', 'low', 'ten-1'), vm('a2', 'acme', 'low', 'ten-2'), vm('a3', 'acme', 'low', 'ten-2')];
    const { violations } = auditIsolation(zones, hosts, vms, tenants);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ host: 'ten-1', zone: 'ten', isolation: 'per-tenant', reason: 'VMs of tenants acme, acme2 share the host' });
  });

  it('shared: any mix of tenants and levels is allowed', () => {
    const vms = [vm('a1', 'acme', 'low', 'shr-1'), vm('b1', 'beta', 'high', 'shr-1'), vm('c1', 'acme2', 'low', 'shr-1')];
    expect(auditIsolation(zones, hosts, vms, tenants).violations).toEqual([]);
  });

  it('ignores VMs that do not occupy a host: pending (no host), failed, or pending with a host', () => {
    const vms = [
      vm('a1', 'acme', 'low', 'sens-1'),
      vm('b-pending', 'beta', 'high'),
      vm('b-failed', 'beta', 'high', 'sens-1', 'Failed'),
      vm('b-pending-host', 'beta', 'high', 'sens-1', 'Pending'),
    ];
    expect(auditIsolation(zones, hosts, vms, tenants)).toEqual({ violations: [], checkedHosts: 8, checkedVms: 1 });
  });

  it.each<VmPhase>(['Provisioning', 'Running', 'Stopped', 'Lost', 'Deleting'])('a %s VM still occupies its host', (phase) => {
    const vms = [vm('a1', 'acme', 'low', 'sens-1'), vm('b1', 'beta', 'high', 'sens-1', phase)];
    const report = auditIsolation(zones, hosts, vms, tenants);
    expect(report.checkedVms).toBe(2);
    expect(report.violations.map((v) => v.host)).toEqual(['sens-1']);
  });

  it('a VM marked lower than its tenant is a violation, even alone on a host in a shared zone', () => {
    const vms = [vm('sneaky', 'beta', 'low', 'shr-2')];
    const { violations } = auditIsolation(zones, hosts, vms, tenants);
    expect(violations).toEqual([
      { host: 'shr-2', zone: 'shr', isolation: 'shared', reason: 'VM sneaky is marked low but its tenant is high', vms: [{ name: 'sneaky', tenant: 'beta', sensitivity: 'low' }] },
    ]);
  });

  it('a VM with no sensitivity counts as low; higher than its tenant is fine', () => {
    const unmarked = auditIsolation(zones, hosts, [vm('u', 'beta', undefined, 'shr-1')], tenants).violations;
    expect(unmarked.map((v) => v.reason)).toEqual(['VM u is marked low but its tenant is high']);
    expect(auditIsolation(zones, hosts, [vm('up', 'acme', 'high', 'shr-1')], tenants).violations).toEqual([]);
  });

  it('reports each bad host separately and both kinds of violation on one host', () => {
    const vms = [vm('a1', 'acme', 'low', 'sens-1'), vm('b-low', 'beta', 'low', 'sens-1'), vm('b-high', 'beta', 'high', 'sens-1'), vm('x', 'acme', 'low', 'ten-2'), vm('y', 'beta', 'high', 'ten-2')];
    const { violations, checkedVms } = auditIsolation(zones, hosts, vms, tenants);
    expect(checkedVms).toBe(5);
    expect(violations.map((v) => [v.host, v.reason])).toEqual([
      ['sens-1', 'VMs of sensitivity levels high, low share the host'],
      ['sens-1', 'VM b-low is marked low but its tenant is high'],
      ['ten-2', 'VMs of tenants acme, beta share the host'],
    ]);
  });
});

describe('auditIsolation over pods', () => {
  const node = (name: string, cluster: string | undefined, tenantName: string): VirtualMachine => ({
    ...vm(name, tenantName, 'low', 'shr-1'),
    metadata: { name, ...(cluster ? { labels: { 'bulkhead.dev/cluster': cluster, 'bulkhead.dev/role': 'worker' } } : {}) },
  });
  const pod = (name: string, cluster: string, nodeName: string, phase = 'Running') => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: `${cluster}/default` },
    spec: { containers: [{ name: 'c', image: 'nginx' }], nodeName },
    status: { phase: phase as 'Running' },
  });
  const clusters = [
    { apiVersion: API_VERSION, kind: 'Cluster', metadata: { name: 'web' }, spec: { tenant: 'acme' } },
    { apiVersion: API_VERSION, kind: 'Cluster', metadata: { name: 'db' }, spec: { tenant: 'beta' } },
  ];
  const vms = [node('web-1', 'web', 'acme'), node('db-1', 'db', 'beta'), node('plain', undefined, 'acme'), node('fake', 'web', 'beta')];

  it('accepts pods on their own cluster nodes and reports every other placement', () => {
    const pods = [pod('ok', 'web', 'web-1'), pod('cross', 'web', 'db-1'), pod('bare', 'web', 'plain'), pod('tenant', 'web', 'fake'), pod('done', 'web', 'db-1', 'Succeeded')];
    const report = auditIsolation(zones, hosts, vms, tenants, { pods, clusters });
    expect(report.checkedPods).toBe(4);
    const podViolations = report.violations.filter((v) => v.isolation === 'pods');
    expect(podViolations.map((v) => v.reason)).toEqual([
      'pod web/default/cross of cluster web runs on VM db-1 of cluster db',
      'pod web/default/bare runs on VM plain, which is not a node of any cluster',
      'pod web/default/tenant of tenant acme runs on VM fake of tenant beta',
    ]);
    expect(podViolations[0]).toMatchObject({ host: 'shr-1', zone: 'shr', isolation: 'pods', pods: ['web/default/cross'] });
  });
});
