// VMs from request to running and back, through the real controllers and the simulated
// datacenter: placement with its explanation and NUMA node, isolation, pending with a reason,
// host failure marking VMs lost, watch streaming, and deletion releasing capacity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host, VirtualMachine } from '../../src/api/index.js';
import { eventually, startTestPlatform, tenant, V1, vm, type Running } from './harness.js';

let run: Running;
beforeAll(async () => {
  run = await startTestPlatform();
  await run.admin.post(`${V1}/tenants`, tenant('lowco', 'low'));
  await run.admin.post(`${V1}/tenants`, tenant('highco', 'high'));
  await eventually(async () => {
    const hosts = await run.admin.get<{ items: Host[] }>(`${V1}/hosts`);
    return hosts.body.items.length === 16 && hosts.body.items.every((h) => h.status?.state === 'Ready') ? true : undefined;
  }, 10_000, 'all hosts Ready');
});
afterAll(async () => run?.stop());

const getVm = async (name: string) => (await run.admin.get<VirtualMachine>(`${V1}/virtualmachines/${name}`)).body;
const running = (name: string) => eventually(async () => {
  const v = await getVm(name);
  return v.status?.phase === 'Running' ? v : undefined;
}, 10_000, `${name} Running`);

describe('default datacenter', () => {
  it('has 2 zones of 8 hosts with 2 NUMA nodes, 32 cores and 512 GiB each', async () => {
    const zones = await run.admin.get<{ items: { metadata: { name: string } }[] }>(`${V1}/zones`);
    expect(zones.body.items).toHaveLength(2);
    const hosts = await run.admin.get<{ items: Host[] }>(`${V1}/hosts`);
    for (const h of hosts.body.items) {
      expect(h.spec).toMatchObject({ sockets: 2, cores: 32, memoryMiB: 524288 });
      expect(h.spec?.numaNodes).toHaveLength(2);
    }
  });
});

describe('placement and lifecycle', () => {
  it('places a VM that fits one NUMA node in exactly one, explains it, and runs it', async () => {
    expect((await run.admin.post(`${V1}/virtualmachines`, vm('web-1', 'lowco', 4, 8192))).status).toBe(201);
    const v = await running('web-1');
    expect(v.status?.host).toBeTruthy();
    expect(v.status?.numaNodes).toHaveLength(1);
    expect(v.spec?.sensitivity).toBe('low');
    expect(v.status?.placement?.evaluated).toBeGreaterThan(0);
    expect(v.status?.placement?.chosen).toBe(v.status?.host);
    expect(v.status?.conditions?.find((c) => c.type === 'Scheduled')?.status).toBe('True');
    const host = await eventually(async () => {
      const h = (await run.admin.get<Host>(`${V1}/hosts/${v.status!.host}`)).body;
      return h.status?.allocatedVcpus === 4 ? h : undefined;
    }, 5000, 'host allocation');
    expect(host.status?.allocatedMemoryMiB).toBe(8192);
  });

  it('spans two NUMA nodes only for a VM too big for one', async () => {
    await run.admin.post(`${V1}/virtualmachines`, vm('wide-1', 'lowco', 24, 300 * 1024));
    const v = await running('wide-1');
    expect(v.status?.numaNodes).toHaveLength(2);
  });

  it('never puts different sensitivity levels on one host in a per-sensitivity zone', async () => {
    await run.admin.post(`${V1}/virtualmachines`, vm('secret-1', 'highco', 2, 4096));
    const hi = await running('secret-1');
    const lo = await getVm('web-1');
    expect(hi.status?.host).not.toBe(lo.status?.host);
    const audit = await run.admin.get<{ violations: unknown[]; checkedVms: number }>('/audit/isolation');
    expect(audit.body.violations).toEqual([]);
    expect(audit.body.checkedVms).toBeGreaterThanOrEqual(3);
  });

  it('puts an encrypted-memory VM on a sev-es host', async () => {
    await run.admin.post(`${V1}/virtualmachines`, vm('enc-1', 'lowco', 2, 2048, { encryptedMemory: true }));
    const v = await running('enc-1');
    const h = (await run.admin.get<Host>(`${V1}/hosts/${v.status!.host}`)).body;
    expect(h.spec?.features).toContain('sev-es');
  });

  it('keeps a VM that fits nowhere Pending with a condition saying why', async () => {
    await run.admin.post(`${V1}/virtualmachines`, vm('huge-1', 'lowco', 600, 4096));
    const v = await eventually(async () => {
      const x = await getVm('huge-1');
      return x.status?.conditions?.some((c) => c.type === 'Scheduled' && c.status === 'False') ? x : undefined;
    }, 5000, 'Scheduled=False');
    expect(v.status?.phase).toBe('Pending');
    expect(v.status?.conditions?.find((c) => c.type === 'Scheduled')?.message).toMatch(/0\/16 hosts are available: (\d+ InsufficientCPU|.*, \d+ InsufficientCPU)/);
    expect(v.status?.host).toBeUndefined();
  });

  it('marks the VMs of a crashed host Lost and the host Failed, and recovers the host', async () => {
    const v = await getVm('web-1');
    const hostName = v.status!.host!;
    const failed = await run.admin.post<Host>(`${V1}/hosts/${hostName}/fault`, { action: 'fail' });
    expect(failed.status).toBe(200);
    expect(failed.body.status?.state).toBe('Failed');
    const lost = await eventually(async () => {
      const x = await getVm('web-1');
      return x.status?.phase === 'Lost' ? x : undefined;
    }, 5000, 'web-1 Lost');
    expect(lost.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'HostFailed' });
    const recovered = await run.admin.post<Host>(`${V1}/hosts/${hostName}/fault`, { action: 'recover' });
    expect(recovered.body.status?.state).toBe('Ready');
    const bad = await run.admin.post(`${V1}/hosts/${hostName}/fault`, { action: 'explode' });
    expect(bad.status).toBe(422);
  });

  it('powers a VM off and on again through spec.powerState', async () => {
    const v = await getVm('enc-1');
    const off = await run.admin.put(`${V1}/virtualmachines/enc-1`, { ...v, spec: { ...v.spec, powerState: 'Off' } });
    expect(off.status).toBe(200);
    const stopped = await eventually(async () => {
      const x = await getVm('enc-1');
      return x.status?.phase === 'Stopped' ? x : undefined;
    }, 5000, 'enc-1 Stopped');
    expect((await run.platform.driver.getVm(stopped.status!.vmId!)).power).toBe('stopped');
    const resize = await run.admin.put<{ message: string }>(`${V1}/virtualmachines/enc-1`, { ...stopped, spec: { ...stopped.spec, cpus: 64 } });
    expect(resize.status).toBe(422);
    expect(resize.body.message).toMatch(/spec\.cpus: field is immutable/);
    await run.admin.put(`${V1}/virtualmachines/enc-1`, { ...stopped, spec: { ...stopped.spec, powerState: 'On' } });
    await running('enc-1');
  });

  it('deletes a VM through the driver and releases its host capacity', async () => {
    const v = await getVm('wide-1');
    const res = await run.admin.del<VirtualMachine>(`${V1}/virtualmachines/wide-1`);
    expect(res.status).toBe(200);
    await eventually(async () => ((await run.admin.get(`${V1}/virtualmachines/wide-1`)).status === 404 ? true : undefined), 10_000, 'wide-1 gone');
    await eventually(async () => {
      const h = (await run.admin.get<Host>(`${V1}/hosts/${v.status!.host}`)).body;
      return (h.status?.allocatedMemoryMiB ?? 0) < 300 * 1024 ? true : undefined;
    }, 5000, 'capacity released');
    expect(await run.platform.driver.hasVm(v.status!.vmId!)).toBe(false);
  });
});

describe('watch', () => {
  it('streams ADDED and MODIFIED events from a resourceVersion, in order', async () => {
    const list = await run.admin.get<{ metadata: { resourceVersion: string } }>(`${V1}/virtualmachines`);
    const ctrl = new AbortController();
    const res = await fetch(`${run.platform.url}${V1}/virtualmachines?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`, {
      headers: { authorization: `Bearer ${run.platform.adminToken}` },
      signal: ctrl.signal,
    });
    expect(res.status).toBe(200);
    await run.admin.post(`${V1}/virtualmachines`, vm('watched-1', 'lowco', 1, 1024));
    const reader = res.body!.getReader();
    const events: { type: string; object: VirtualMachine }[] = [];
    let buf = '';
    const dec = new TextDecoder();
    while (!events.some((e) => e.object.metadata.name === 'watched-1' && e.object.status?.phase === 'Running')) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, i)));
        buf = buf.slice(i + 1);
      }
    }
    ctrl.abort();
    const mine = events.filter((e) => e.object.metadata.name === 'watched-1');
    expect(mine[0]?.type).toBe('ADDED');
    expect(mine.some((e) => e.type === 'MODIFIED' && e.object.status?.phase === 'Running')).toBe(true);
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
  });
});
