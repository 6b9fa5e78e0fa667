/**
 * Helpers shared by the HA, migration and maintenance end-to-end tests (all on the virtual clock
 * of src/availability/testing.ts): small topologies, putting VMs on a chosen host, reading
 * conditions.
 */
import { getCondition, type Condition, type Host, type VirtualMachine } from '../../src/api/index.js';
import type { HaBench } from '../../src/availability/testing.js';
import { generateTopology, type Topology } from '../../src/infra/index.js';

/** One zone (zone-a) of `hosts` hosts named zone-a-host-01.., 32 cores and `memoryGiB` each, no sev-es. */
export function smallZone(hosts: number, memoryGiB = 64): Topology {
  return generateTopology({ zones: 1, hostsPerZone: hosts, memoryMiB: memoryGiB * 1024, sevEsFraction: 0 });
}

export const host = (i: number): string => `zone-a-host-${String(i).padStart(2, '0')}`;

/** Runs `fn` with every other host of the zone cordoned, so the VMs it creates land on `target`. */
export async function onHost(b: HaBench, target: string, fn: () => Promise<unknown>): Promise<void> {
  const hosts = (await b.store.list<Host>('Host')).items.filter((h) => h.metadata.name !== target && h.spec?.zone === 'zone-a');
  const cordon = async (on: boolean) => {
    for (const h of hosts) {
      const cur = await b.store.get<Host>('Host', '', h.metadata.name);
      await b.store.update<Host>({ ...cur, spec: { ...cur.spec!, unschedulable: on } });
    }
    await b.advance(1_000);
  };
  await cordon(true);
  await fn();
  await b.advance(2_000);
  await cordon(false);
}

export function cond(obj: { status?: { conditions?: readonly Condition[] } } | undefined, type: string): Condition | undefined {
  return getCondition(obj?.status?.conditions, type);
}

/** Advances to just after the driver's next heartbeat batch; returns its time. */
export async function afterNextHeartbeat(b: HaBench): Promise<number> {
  const last = b.lastHeartbeat();
  await b.advance(last + 10_000 - b.clock.now() + 100, 100);
  return b.lastHeartbeat();
}

export async function hostOf(b: HaBench, vm: string): Promise<string | undefined> {
  return (await b.vm(vm)).status?.host;
}

export async function vmsOn(b: HaBench, hostName: string): Promise<VirtualMachine[]> {
  return (await b.vms()).filter((v) => v.status?.host === hostName);
}
