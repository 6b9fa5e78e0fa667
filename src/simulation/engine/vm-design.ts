/**
 * Containers on VMs (the platform's design): every cluster node is a VM placed by the VM
 * scheduler on the scenario's datacenter, pods run in those VMs; HA restarts the VMs of a failed
 * host, DRS rebalances by live migration, standalone VMs churn.
 */
import type { IsolationMode } from '../../api/index.js';
import type { HostInventory } from '../../infra/index.js';
import type { Placement } from '../metrics/isolation.js';
import { vmHostsNeeded, type HostsNeeded } from '../packing/hosts-needed.js';
import { Churn } from './churn.js';
import { clusterNodeSpecs } from './cluster-nodes.js';
import type { EngineContext } from './context.js';
import type { Design } from './design.js';
import { nodeMachine } from './machines.js';
import type { PodManager } from './pods.js';
import { VmDrs } from './vm-drs.js';
import { VmHa } from './vm-ha.js';
import { VmPlatform } from './vm-platform.js';
import type { Machine } from './world.js';

export class VmDesign implements Design {
  readonly kind = 'vm' as const;
  readonly hostsNeeded: HostsNeeded;
  private readonly platform: VmPlatform;
  private readonly ha: VmHa;
  private readonly drs: VmDrs;
  private readonly churn: Churn;

  constructor(
    private readonly ctx: EngineContext,
    readonly hosts: readonly HostInventory[],
    private readonly pods: PodManager,
    refreshEntitlements: () => void,
  ) {
    this.hostsNeeded = vmHostsNeeded(ctx.scenario);
    this.platform = new VmPlatform(ctx, hosts, (m) => this.running(m));
    this.ha = new VmHa(ctx, this.platform);
    this.drs = new VmDrs(ctx, this.platform, pods, refreshEntitlements);
    this.churn = new Churn(ctx, this.platform);
  }

  zoneOf(host: string): string | undefined {
    return this.platform.zoneOf(host);
  }

  isUp(host: string): boolean {
    return this.platform.up.has(host);
  }

  isolationOf(zone: string): IsolationMode {
    return this.platform.zones.get(zone)?.isolation ?? 'per-sensitivity';
  }

  provision(): void {
    const { ctx } = this;
    for (const spec of clusterNodeSpecs(ctx.scenario)) {
      const m = nodeMachine(spec, `${spec.tenant}/${spec.name}`, spec);
      ctx.machines.set(m.key, m);
      ctx.nodes.set(spec.name, m.node as NonNullable<Machine['node']>);
      if (!this.platform.placeAndLaunch(m, spec.zone, ctx.scenario.initialPlacement))
        ctx.note(`${spec.name} found no host at the start (${spec.cpus} vCPUs, ${spec.memoryMiB} MiB in ${spec.zone}); retried as capacity frees up`);
    }
    this.drs.start();
    this.churn.start();
  }

  hostFailed(host: string): void {
    const { ctx, platform } = this;
    platform.hostDown(host);
    const lost: Machine[] = [];
    const pods = [];
    for (const m of ctx.machines.values()) {
      if (m.host !== host || m.gone) continue;
      platform.bump(m);
      lost.push(m);
      m.running = false;
      m.migrating = false;
      if (m.node) {
        for (const p of m.node.pods) if (p.running) pods.push(p);
        this.pods.nodeDown(m.node);
      }
    }
    const record = ctx.recovery.hostFailed(host, platform.zoneOf(host) ?? '', ctx.elapsed(), lost, pods);
    this.ha.hostFailed(host, record);
  }

  hostRecovered(host: string): void {
    this.platform.hostUp(host);
    this.platform.retryUnplaced();
  }

  beforeSample(): number {
    if (this.platform.unplaced.size > 0) this.platform.retryUnplaced();
    return this.platform.unplaced.size;
  }

  imbalance(): Readonly<Record<string, number>> {
    return this.drs.imbalance();
  }

  async placements(): Promise<Placement[]> {
    const out: Placement[] = [];
    for (const vm of await this.ctx.driver.listVms()) {
      if (vm.power !== 'running') continue;
      const m = this.ctx.machines.get(vm.agentId);
      if (m !== undefined) out.push({ host: vm.host, machine: m });
    }
    return out;
  }

  private running(m: Machine): void {
    this.ctx.recovery.machineRunning(m, this.ctx.elapsed());
    if (m.node) this.pods.nodeUp(m.node);
  }
}
