/**
 * Containers on bare metal: every cluster node is a whole host of its zone's hardware (one tenant
 * per host, the isolation bare metal needs), its pods share the host through Linux CFS only. The
 * datacenter is exactly the hosts the nodes need plus one spare per zone, named like the
 * scenario's hosts so a scripted failure hits the same host name. A failed host's node goes
 * NotReady after node-monitor-grace and is then reprovisioned onto a spare (PXE: minutes); its
 * pods come back on the rebuilt node, or on the cluster's other nodes once evicted.
 */
import type { IsolationMode } from '../../api/index.js';
import { expandTopology, groupHostNames, type HostGroup, type HostInventory, type Topology } from '../../infra/index.js';
import { NODE_MONITOR_GRACE_MS } from '../assumptions.js';
import type { Placement } from '../metrics/isolation.js';
import { bareMetalHostsNeeded, type HostsNeeded } from '../packing/hosts-needed.js';
import type { Scenario } from '../scenario/types.js';
import { clusterNodeSpecs } from './cluster-nodes.js';
import type { EngineContext } from './context.js';
import type { Design } from './design.js';
import { nodeMachine } from './machines.js';
import type { PodManager } from './pods.js';
import type { Machine } from './world.js';

/** The bare-metal datacenter: per zone, as many hosts as it has nodes plus one spare, in the zone's hardware. */
export function bareMetalTopology(s: Scenario): Topology {
  const needed = bareMetalHostsNeeded(s);
  const zones = s.zones.flatMap((z) => {
    const count = (needed.perZone[z.name] ?? 0) + 1;
    const hw: HostGroup = z.hardware;
    const start = hw.startIndex ?? 1;
    const width = Math.max(hw.indexWidth ?? Math.max(2, String(start + hw.count - 1).length), String(start + count - 1).length);
    return (needed.perZone[z.name] ?? 0) === 0 ? [] : [{ name: z.name, hostGroups: [{ ...hw, count, startIndex: start, indexWidth: width }] }];
  });
  return { zones };
}

export class BareMetalDesign implements Design {
  readonly kind = 'bare-metal' as const;
  readonly hostsNeeded: HostsNeeded;
  private readonly up = new Set<string>();
  private readonly zoneOfHost = new Map<string, string>();
  private readonly byHost = new Map<string, Machine>();
  /** Nodes waiting for a spare host, oldest first. */
  private readonly waiting: Machine[] = [];

  constructor(
    private readonly ctx: EngineContext,
    readonly hosts: readonly HostInventory[],
    private readonly pods: PodManager,
  ) {
    this.hostsNeeded = bareMetalHostsNeeded(ctx.scenario);
    for (const h of hosts) {
      this.up.add(h.name);
      this.zoneOfHost.set(h.name, h.zone);
    }
  }

  zoneOf(host: string): string | undefined {
    return this.zoneOfHost.get(host);
  }

  isUp(host: string): boolean {
    return this.up.has(host);
  }

  isolationOf(): IsolationMode {
    return 'per-tenant';
  }

  provision(): void {
    const { ctx } = this;
    const free = new Map<string, string[]>();
    for (const h of this.hosts) {
      const list = free.get(h.zone);
      if (list) list.push(h.name);
      else free.set(h.zone, [h.name]);
    }
    const inv = new Map(this.hosts.map((h) => [h.name, h]));
    for (const spec of clusterNodeSpecs(ctx.scenario)) {
      const host = free.get(spec.zone)?.shift() as string;
      const hw = inv.get(host) as HostInventory;
      const m = nodeMachine(spec, spec.name, { cpus: hw.cores, memoryMiB: hw.memoryMiB });
      ctx.machines.set(m.key, m);
      ctx.nodes.set(spec.name, m.node as NonNullable<Machine['node']>);
      this.bind(m, host);
    }
  }

  private bind(m: Machine, host: string): void {
    m.host = host;
    m.running = true;
    this.byHost.set(host, m);
    if (m.node) this.pods.nodeUp(m.node);
  }

  private spareIn(zone: string): string | undefined {
    return this.hosts.find((h) => h.zone === zone && this.up.has(h.name) && !this.byHost.has(h.name))?.name;
  }

  hostFailed(host: string): void {
    const { ctx } = this;
    this.up.delete(host);
    const m = this.byHost.get(host);
    this.byHost.delete(host);
    // A spare being reprovisioned onto: the rebuild notices and finds another spare.
    if (m !== undefined && !m.running) return void this.ctx.recovery.hostFailed(host, this.zoneOf(host) ?? '', this.ctx.elapsed(), [], []);
    const pods = m?.node ? [...m.node.pods].filter((p) => p.running) : [];
    const record = ctx.recovery.hostFailed(host, this.zoneOf(host) ?? '', ctx.elapsed(), m ? [m] : [], pods);
    if (!m) return;
    m.running = false;
    if (m.node) this.pods.nodeDown(m.node);
    // Kubernetes notices after node-monitor-grace; then the node is rebuilt on a spare.
    ctx.agenda.after(NODE_MONITOR_GRACE_MS, () => {
      ctx.recovery.detected(record, ctx.elapsed());
      this.waiting.push(m);
      this.reprovision();
    });
  }

  hostRecovered(host: string): void {
    this.up.add(host);
    this.reprovision();
  }

  /** Starts rebuilding waiting nodes on spare hosts of their zone. */
  private reprovision(): void {
    for (const m of [...this.waiting]) {
      // A spare in the failed host's zone first, else in another zone of the cluster.
      const zones = [this.zoneOf(m.host ?? '') ?? '', ...(m.node?.cluster.zones ?? [])];
      const zone = zones.find((z) => this.spareIn(z) !== undefined);
      const spare = zone === undefined ? undefined : this.spareIn(zone);
      if (spare === undefined) continue;
      this.waiting.splice(this.waiting.indexOf(m), 1);
      this.byHost.set(spare, m);
      this.ctx.counters.reprovisions++;
      this.ctx.agenda.after(this.ctx.scenario.bareMetal.reprovisionMs, () => {
        if (!this.up.has(spare)) {
          this.byHost.delete(spare);
          this.waiting.push(m);
          return this.reprovision();
        }
        this.bind(m, spare);
        this.ctx.recovery.machineRunning(m, this.ctx.elapsed());
      });
    }
  }

  beforeSample(): number {
    return this.waiting.length;
  }

  imbalance(): Readonly<Record<string, number>> {
    return {};
  }

  async placements(): Promise<Placement[]> {
    const out: Placement[] = [];
    for (const [host, m] of this.byHost) if (m.running) out.push({ host, machine: m });
    return out;
  }
}

/** Host names the bare-metal datacenter has (for tests and the report). */
export function bareMetalHostNames(s: Scenario): string[] {
  return bareMetalTopology(s).zones.flatMap((z) => z.hostGroups.flatMap((g) => groupHostNames(g)));
}

/** The bare-metal datacenter's inventory. */
export function bareMetalInventory(s: Scenario): HostInventory[] {
  return expandTopology(bareMetalTopology(s)).hosts;
}
