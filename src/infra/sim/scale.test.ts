import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/index.js';
import type { HostInventory, InfraEvent } from '../driver.js';
import { generateTopology } from '../topology.js';
import { createSimDriver } from './sim-driver.js';

// Guards against O(n) scans per operation: generous bounds that an O(n^2) implementation misses by far.
describe('sim driver at scale', () => {
  it('serves 10,000 hosts and creates 100,000 VMs quickly, with one heartbeat event per interval', async () => {
    const clock = new VirtualClock();
    const driver = createSimDriver({ clock, seed: 5, topology: generateTopology({ zones: 10, hostsPerZone: 1000 }) });
    let start = performance.now();
    const { hosts } = await driver.inventory();
    expect(hosts).toHaveLength(10_000);
    expect(performance.now() - start).toBeLessThan(500);

    const events: InfraEvent[] = [];
    driver.subscribe((e) => events.push(e));
    start = performance.now();
    let created = 0;
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < 100_000; i++) {
      const h = hosts[i % hosts.length] as HostInventory;
      all.push(driver.createVm({ agentId: `a${i}`, host: h.name, stemcell: 's', resources: { cpus: 2, memoryMiB: 4096, numaNodes: [i % 2] } }).then(() => created++));
    }
    await clock.advance(60_000);
    await Promise.all(all);
    const elapsed = performance.now() - start;
    expect(created).toBe(100_000);
    expect(elapsed).toBeLessThan(15_000);
    expect(driver.stats()).toMatchObject({ vms: 100_000, runningVms: 100_000 });

    const beats = events.filter((e) => e.type === 'Heartbeats');
    expect(beats).toHaveLength(6);
    expect(beats[0]?.type === 'Heartbeats' && beats[0].hosts.length).toBe(10_000);
    await driver.close();
  }, 60_000);
});
