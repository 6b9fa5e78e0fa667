// Admission of pools, rules and VM resources against a real (in-memory) store: every refusal is a
// 422 naming the field and what it conflicts with; what is admitted is stored as given (a VM
// naming a pool is pinned to the pool's zone).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_VERSION, ConflictError, ValidationError, type Host, type Resource, type VirtualMachine } from '../../api/index.js';
import type { DrsRuleObject, DrsRuleSpec, ResourcePoolObject, ResourcePoolObjectSpec } from '../../api/kinds/balance-kinds.js';
import { openSqliteStore, type Store } from '../../store/index.js';
import { admitPoolDelete, admitResourcePool } from './pool-admission.js';
import { admitDrsRule } from './rule-admission.js';
import { admitVmResources } from './vm-admission.js';

const GiB = 1024;
let store: Store;

function host(name: string, zone: string): Host {
  return {
    apiVersion: API_VERSION,
    kind: 'Host',
    metadata: { name },
    spec: { zone, sockets: 1, cores: 8, memoryMiB: 64 * GiB, numaNodes: [{ id: 0, socket: 0, cores: 8, memoryMiB: 64 * GiB }], nicMbps: 25_000 },
  };
}
const obj = (kind: string, name: string, spec: unknown): Resource => ({ apiVersion: API_VERSION, kind, metadata: { name }, spec });
const pool = (name: string, spec: ResourcePoolObjectSpec) => obj('ResourcePool', name, spec) as ResourcePoolObject;
const rule = (name: string, spec: DrsRuleSpec) => obj('DrsRule', name, spec) as DrsRuleObject;
const vm = (name: string, spec: Partial<NonNullable<VirtualMachine['spec']>>, annotations?: Record<string, string>): VirtualMachine => ({
  apiVersion: API_VERSION,
  kind: 'VirtualMachine',
  metadata: { name, ...(annotations ? { annotations } : {}) },
  spec: { tenant: 'acme', cpus: 4, memoryMiB: 8 * GiB, powerState: 'On', ...spec },
});

async function createPool(p: ResourcePoolObject): Promise<void> {
  await store.create(await admitResourcePool({ store }, p, undefined));
}

async function refusal(p: Promise<unknown>): Promise<{ field: string; message: string }[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ValidationError) return [...err.causes];
    throw err;
  }
  throw new Error('admitted');
}

beforeEach(async () => {
  store = await openSqliteStore({ path: ':memory:' });
  for (const z of ['a', 'b']) await store.create(obj('Zone', z, {}));
  for (const h of [host('h1', 'a'), host('h2', 'a'), host('h3', 'b')]) await store.create(h);
  await store.create(obj('Tenant', 'acme', { sensitivity: 'low' }));
  await store.create(obj('Tenant', 'globex', { sensitivity: 'low', zones: ['b'] }));
  await store.create(obj('Tenant', 'initech', { sensitivity: 'low' }));
  await store.create(obj('Cluster', 'web', { tenant: 'acme', plan: 'small' }));
  await store.create(obj('Cluster', 'gx', { tenant: 'globex', plan: 'small' }));
  await createPool(pool('acme', { zone: 'a', tenant: 'acme', tenantDefault: true, cpu: { reservationMHz: 8000, expandableReservation: false } }));
  await createPool(pool('acme-web', { zone: 'a', parent: 'acme', tenant: 'acme', clusters: ['web'], cpu: { reservationMHz: 4000 } }));
});
afterEach(async () => {
  await store.close();
});

describe('ResourcePool admission', () => {
  it.each([
    ['custom shares without a value', 'spec.cpu.shares.shares', pool('p', { zone: 'a', cpu: { shares: { level: 'custom' } } }), /required when level is "custom"/],
    ['a limit below the reservation', 'spec.memory.limitMiB', pool('p', { zone: 'a', memory: { reservationMiB: 2048, limitMiB: 1024 } }), /must be at least the reservation \(2048\)/],
    ['a reservation above what a fixed parent has left', 'spec.cpu.reservationMHz', pool('p', { zone: 'a', parent: 'acme', tenant: 'acme', cpu: { reservationMHz: 5000 } }), /does not fit in "acme": 4000 MHz available/],
    ['a reservation above the zone', 'spec.cpu.reservationMHz', pool('p', { zone: 'a', cpu: { reservationMHz: 40_000 } }), /zone "a" has 32000 MHz in all/],
    ['an unknown parent', 'spec.parent', pool('p', { zone: 'a', parent: 'nope' }), /unknown pool "nope"/],
    ['an unknown zone', 'spec.zone', pool('p', { zone: 'z' }), /zone "z" does not exist/],
    ['a cluster mapping without a tenant', 'spec.tenant', pool('p', { zone: 'a', clusters: ['web'] }), /required when spec.clusters is set/],
    ['a cluster already mapped in the zone', 'spec.clusters[0]', pool('p', { zone: 'a', tenant: 'acme', clusters: ['web'] }), /cluster "web" already maps to pool "acme-web" in zone "a"/],
    ['another tenant\'s cluster', 'spec.clusters[0]', pool('p', { zone: 'b', tenant: 'acme', clusters: ['gx'] }), /belongs to tenant "globex", not "acme"/],
    ['a second tenant default in a zone', 'spec.tenantDefault', pool('p', { zone: 'a', tenant: 'acme', tenantDefault: true }), /pool "acme" is already tenant "acme"'s default in zone "a"/],
    ['a zone the tenant may not use', 'spec.zone', pool('p', { zone: 'a', tenant: 'globex' }), /may only use zones b/],
    ['a tenant pool below another tenant\'s', 'spec.parent', pool('p', { zone: 'a', parent: 'acme', tenant: 'initech' }), /pool "acme" belongs to tenant "acme"/],
  ])('refuses %s, naming %s', async (_what, field, p, message) => {
    const causes = await refusal(admitResourcePool({ store }, p, undefined));
    expect(causes.map((c) => c.field)).toContain(field);
    expect(causes.find((c) => c.field === field)?.message).toMatch(message);
  });

  it('refuses shrinking a pool below a child\'s reservation, naming the child', async () => {
    const old = await store.get<ResourcePoolObject>('ResourcePool', '', 'acme');
    const next = { ...old, spec: { ...old.spec!, cpu: { ...old.spec!.cpu, reservationMHz: 2000 } } };
    const causes = await refusal(admitResourcePool({ store }, next, old));
    expect(causes[0]?.field).toBe('acme-web: spec.cpu.reservationMHz');
  });

  it('refuses shrinking a pool below what its running VMs reserve', async () => {
    await store.create({ ...vm('r1', { resources: { pool: 'acme-web', cpu: { reservationMHz: 3000 } } }), status: { phase: 'Running', host: 'h1', zone: 'a' } });
    const old = await store.get<ResourcePoolObject>('ResourcePool', '', 'acme-web');
    const causes = await refusal(admitResourcePool({ store }, { ...old, spec: { ...old.spec!, cpu: { reservationMHz: 2000, expandableReservation: false } } }, old));
    expect(causes[0]).toMatchObject({ field: 'spec.cpu.reservationMHz' });
    expect(causes[0]?.message).toMatch(/VM "r1" could no longer keep its reservation/);
  });

  it('keeps zone and tenant immutable', async () => {
    const old = await store.get<ResourcePoolObject>('ResourcePool', '', 'acme-web');
    const causes = await refusal(admitResourcePool({ store }, { ...old, spec: { ...old.spec!, zone: 'b', tenant: 'globex' } }, old));
    expect(causes.map((c) => c.field)).toEqual(['spec.zone', 'spec.tenant']);
  });

  it('refuses deleting a pool with child pools or VMs naming it', async () => {
    await expect(admitPoolDelete({ store }, await store.get('ResourcePool', '', 'acme'))).rejects.toThrow(/still has child pools acme-web/);
    await store.create(vm('named', { resources: { pool: 'acme-web' } }));
    await expect(admitPoolDelete({ store }, await store.get('ResourcePool', '', 'acme-web'))).rejects.toThrow(ConflictError);
  });
});

describe('DrsRule admission', () => {
  beforeEach(async () => {
    for (const n of ['x', 'y', 'z']) await store.create(vm(n, { zone: 'a' }));
    await store.create(vm('far', { zone: 'b' }));
    await store.create(await admitDrsRule({ store }, rule('together', { zone: 'a', type: 'vmAffinity', vms: ['x', 'y'] }), undefined));
  });

  it.each([
    ['anti-affinity against an affinity on the same pair', rule('r', { zone: 'a', type: 'vmAntiAffinity', vms: ['y', 'x'] }), /spec \(conflicts with rule "together"\)/, /must rule "together" \(keep x, y together\) contradicts must rule "r" \(keep y, x apart\)/],
    ['a host group in another zone', rule('r', { zone: 'a', type: 'vmHost', vms: ['x'], hosts: ['h3'], mode: 'mustRunOn' }), /spec\.hosts\[0\]/, /host "h3" is in zone "b", not "a"/],
    ['a VM of another zone', rule('r', { zone: 'a', type: 'vmAntiAffinity', vms: ['x', 'far'] }), /spec\.vms\[1\]/, /VM "far" is in zone "b"/],
    ['a missing VM', rule('r', { zone: 'a', type: 'vmAntiAffinity', vms: ['x', 'ghost'] }), /spec\.vms\[1\]/, /VM "ghost" does not exist/],
    ['a vmHost rule without mode', rule('r', { zone: 'a', type: 'vmHost', vms: ['x'], hosts: ['h1'] }), /spec\.mode/, /needs a mode/],
    ['a VM-VM rule with a host group', rule('r', { zone: 'a', type: 'vmAffinity', vms: ['x', 'z'], hosts: ['h1'] }), /spec\.hosts/, /only vmHost rules/],
    ['a one-VM affinity rule', rule('r', { zone: 'a', type: 'vmAffinity', vms: ['z'] }), /spec\.vms/, /at least two VMs/],
    ['kept-together VMs pinned apart', rule('r', { zone: 'a', type: 'vmHost', vms: ['x'], hosts: ['h2'], mode: 'mustNotRunOn' }), null, null],
  ])('%s', async (_what, r, field, message) => {
    if (field === null) {
      // A must VM-host rule on one member of a kept-together pair is fine while a host allows both.
      await expect(admitDrsRule({ store }, r, undefined)).resolves.toBe(r);
      return;
    }
    const causes = await refusal(admitDrsRule({ store }, r, undefined));
    expect(causes[0]?.field).toMatch(field);
    expect(causes[0]?.message).toMatch(message as RegExp);
  });

  it('refuses must host rules that leave kept-together VMs no common host, naming all rules', async () => {
    await store.create(await admitDrsRule({ store }, rule('x-on-h1', { zone: 'a', type: 'vmHost', vms: ['x'], hosts: ['h1'], mode: 'mustRunOn' }), undefined));
    const causes = await refusal(admitDrsRule({ store }, rule('y-on-h2', { zone: 'a', type: 'vmHost', vms: ['y'], hosts: ['h2'], mode: 'mustRunOn' }), undefined));
    expect(causes[0]?.field).toMatch(/rule "together"/);
    expect(causes[0]?.message).toMatch(/no host is allowed for all of/);
  });
});

describe('VM resource admission', () => {
  it('pins a VM naming a pool to the pool\'s zone', async () => {
    const out = await admitVmResources({ store }, vm('v', { resources: { pool: 'acme-web' } }), undefined);
    expect(out.spec?.zone).toBe('a');
  });

  it.each([
    ['another tenant\'s pool', 'spec.resources.pool', vm('v', { tenant: 'globex', resources: { pool: 'acme' } }), /belongs to tenant "acme"/],
    ['a pool outside the VM\'s zone', 'spec.resources.pool', vm('v', { zone: 'b', resources: { pool: 'acme' } }), /is in zone "a", not "b" \(the VM's zone\)/],
    ['a missing pool', 'spec.resources.pool', vm('v', { resources: { pool: 'nope' } }), /pool "nope" does not exist/],
    ['a limit below the reservation', 'spec.resources.cpu.limitMHz', vm('v', { resources: { cpu: { reservationMHz: 2000, limitMHz: 1000 } } }), /must be at least the reservation/],
    ['more memory reserved than configured', 'spec.resources.memory.reservationMiB', vm('v', { resources: { memory: { reservationMiB: 9 * GiB } } }), /at most the VM's memory/],
    ['a demand profile that is not one', 'metadata.annotations["bulkhead.dev/demand-profile"].cpuMillis', vm('v', {}, { 'bulkhead.dev/demand-profile': '{"kind":"constant","cpuMillis":-1,"memoryMiB":1}' }), /./],
    ['a reservation beyond a fixed pool', 'spec.resources.cpu.reservationMHz', vm('v', { resources: { pool: 'acme', cpu: { reservationMHz: 5000 } } }), /does not fit in "acme": 4000 MHz available \(pool "acme" has no more unreserved cpu/],
  ])('refuses %s, naming %s', async (_what, field, v, message) => {
    const causes = await refusal(admitVmResources({ store }, v, undefined));
    expect(causes[0]?.field).toBe(field);
    expect(causes[0]?.message).toMatch(message);
  });

  it('counts running VMs\' reservations, borrows through expandable pools, and refuses power-on when the pool is spent', async () => {
    // acme-web (4000, expandable) borrows from acme (8000 fixed, 4000 of it reserved by acme-web).
    const first = await admitVmResources({ store }, vm('w1', { resources: { pool: 'acme-web', cpu: { reservationMHz: 6000 } } }), undefined);
    await store.create({ ...first, status: { phase: 'Running', host: 'h1', zone: 'a' } });
    const causes = await refusal(admitVmResources({ store }, vm('w2', { resources: { pool: 'acme-web', cpu: { reservationMHz: 3000 } } }), undefined));
    expect(causes[0]?.message).toMatch(/2000 MHz available/);
    const off = await admitVmResources({ store }, vm('w2', { powerState: 'Off', resources: { pool: 'acme-web', cpu: { reservationMHz: 3000 } } }), undefined);
    expect(off.spec?.powerState).toBe('Off');
    const stored = await store.create(off);
    const on = await refusal(admitVmResources({ store }, { ...stored, spec: { ...stored.spec!, powerState: 'On' } }, stored));
    expect(on[0]?.field).toBe('spec.resources.cpu.reservationMHz');
  });

  it('admits a VM without pool or zone when some zone its tenant may use has room', async () => {
    await expect(admitVmResources({ store }, vm('big', { resources: { cpu: { reservationMHz: 8000 } } }), undefined)).resolves.toMatchObject({ metadata: { name: 'big' } });
    const causes = await refusal(admitVmResources({ store }, vm('huge', { cpus: 32, resources: { cpu: { reservationMHz: 60_000 } } }), undefined));
    expect(causes.map((c) => c.message)).toEqual([expect.stringMatching(/^zone "a": /), expect.stringMatching(/^zone "b": /)]);
  });

  it('is a no-op for a VM without resource settings', async () => {
    const v = vm('plain', {});
    expect(await admitVmResources({ store }, v, undefined)).toBe(v);
  });
});
