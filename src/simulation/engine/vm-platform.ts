/**
 * The VM design's control plane in miniature: the VM scheduler over a live `ClusterSnapshot`
 * (the same plugins the platform's placement controller runs), and VM creation on the simulated
 * datacenter with its modeled clone + boot. HA, DRS and churn build on it.
 */
import type { HostInventory } from '../../infra/index.js';
import { ClusterSnapshot, Scheduler, defaultProfile, type PlacementRequest, type Profile } from '../../scheduler/index.js';
import { packingProfile } from '../packing/most-allocated.js';
import type { ScenarioZone } from '../scenario/types.js';
import type { EngineContext } from './context.js';
import { hostObject, tenantObject, vmObject, zoneObject } from './objects.js';
import type { Machine } from './world.js';

/** Image the simulated datacenter clones node VMs from. */
const STEMCELL = 'bulkhead-node';

export class VmPlatform {
  readonly snapshot: ClusterSnapshot;
  readonly profile: Profile = defaultProfile();
  readonly inventory = new Map<string, HostInventory>();
  readonly up = new Set<string>();
  readonly zones = new Map<string, ScenarioZone>();
  /** Machines no host could take yet; retried when capacity may have appeared. */
  readonly unplaced = new Set<Machine>();
  private readonly spread: Scheduler;
  private readonly pack: Scheduler;
  private readonly requests = new Map<string, PlacementRequest>();
  private readonly pins = new Map<Machine, string | undefined>();
  /** Bumped whenever a machine's in-flight operation becomes stale (its host failed, it restarted). */
  private readonly generations = new WeakMap<Machine, number>();

  constructor(
    private readonly ctx: EngineContext,
    hosts: readonly HostInventory[],
    private readonly onRunning: (m: Machine) => void,
  ) {
    const s = ctx.scenario;
    this.snapshot = new ClusterSnapshot(ctx.random.fork('candidates').int(0, 2 ** 31));
    for (const z of s.zones) {
      this.zones.set(z.name, z);
      this.snapshot.upsertZone(zoneObject(z));
    }
    for (const t of s.tenants) this.snapshot.upsertTenant(tenantObject(t));
    for (const h of hosts) {
      this.inventory.set(h.name, h);
      this.up.add(h.name);
      this.snapshot.upsertHost(hostObject(h, 'Ready'));
    }
    const seed = ctx.random.fork('vm-scheduler').int(0, 2 ** 31);
    this.spread = new Scheduler(this.snapshot, { seed, profile: this.profile, now: () => 0 });
    this.pack = new Scheduler(this.snapshot, { seed, profile: packingProfile(), now: () => 0 });
  }

  zoneOf(host: string): string | undefined {
    return this.inventory.get(host)?.zone;
  }

  /** The machine's compiled placement request (cached: it does not depend on where it runs). */
  requestOf(key: string): PlacementRequest | undefined {
    return this.requests.get(key);
  }

  generation(m: Machine): number {
    return this.generations.get(m) ?? 0;
  }

  /** Invalidates the machine's in-flight create or migration callbacks. */
  bump(m: Machine): void {
    this.generations.set(m, this.generation(m) + 1);
  }

  /** NUMA node ids the snapshot accounts the machine on. */
  numaOf(key: string): number[] {
    return this.snapshot.placement(key)?.numa.map((s) => s.id) ?? [];
  }

  /** Places a new machine with the scheduler and creates it; false (kept for a retry) when no host fits. */
  placeAndLaunch(m: Machine, zonePin: string | undefined, mode: 'spread' | 'pack' = 'spread'): boolean {
    this.pins.set(m, zonePin);
    let req = this.requests.get(m.key);
    if (req === undefined) {
      req = this.snapshot.compile(vmObject(m, undefined, zonePin));
      this.requests.set(m.key, req);
    }
    const r = (mode === 'pack' ? this.pack : this.spread).place(req);
    if (!r.ok) {
      this.unplaced.add(m);
      return false;
    }
    this.unplaced.delete(m);
    this.launch(m, r.host, r.numaNodes);
    return true;
  }

  /** Retries machines that found no host before. */
  retryUnplaced(): void {
    for (const m of [...this.unplaced]) if (!m.gone) this.placeAndLaunch(m, this.pins.get(m));
  }

  /** Creates (clone + boot) the machine's VM on `host`; `onRunning` when it runs. */
  launch(m: Machine, host: string, numaNodes: readonly number[]): void {
    this.bump(m);
    const gen = this.generation(m);
    m.host = host;
    m.running = false;
    m.vmId = undefined;
    this.ctx.driver
      .createVm({ agentId: m.key, host, stemcell: STEMCELL, resources: { cpus: m.cpus, memoryMiB: m.memoryMiB, numaNodes: [...numaNodes] } })
      .then(({ vmId }) => {
        if (m.gone) return void this.ctx.driver.deleteVm(vmId).catch(() => undefined);
        if (this.generation(m) !== gen) return;
        m.vmId = vmId;
        m.running = true;
        this.onRunning(m);
      })
      .catch((e: unknown) => {
        // A host failure (HA takes over), a newer operation, or the end of the run.
        if (this.generation(m) !== gen || m.gone || !this.up.has(host) || this.ctx.finished()) return;
        this.ctx.note(`creating ${m.key} on ${host} failed: ${e instanceof Error ? e.message : String(e)}`);
        this.snapshot.forget(m.key);
        m.host = undefined;
        this.unplaced.add(m);
      });
  }

  hostDown(host: string): void {
    const inv = this.inventory.get(host);
    if (!inv) return;
    this.up.delete(host);
    this.snapshot.upsertHost(hostObject(inv, 'Failed'));
  }

  hostUp(host: string): void {
    const inv = this.inventory.get(host);
    if (!inv) return;
    this.up.add(host);
    this.snapshot.upsertHost(hostObject(inv, 'Ready'));
  }
}
