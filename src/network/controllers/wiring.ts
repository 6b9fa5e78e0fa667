/**
 * The network's controllers wired in one visible place, over the platform's shared informers:
 *
 *   Cluster / Namespace / VM / Pod ──▶ ipam controller ──▶ Segments, Namespace status.subnet,
 *                                                          pod status.podIP (the CNI's ADD)
 *   Pod / Namespace / NetworkPolicy / AdminNetworkPolicy / NetworkGroup / Tenant / Cluster
 *                                  ──▶ policy controller ──▶ the one policy engine (atomic batches)
 *   Service + Pods ──▶ service controller ──▶ VIPs, status.loadBalancer, the Service proxy
 *   Service proxy ──▶ health checker (timers on the datacenter's clock) ──▶ member UP/DOWN
 *
 * At start (after the informers synced, before any controller runs or any request is served)
 * IPAM, VIPs and the engine are rebuilt from the store, in that order.
 */
import type { ControllerContext } from '../../platform/extension.js';
import { DataPath } from '../datapath/datapath.js';
import { HealthChecker } from './health-checker.js';
import { networkInformers } from './informers.js';
import { IpamController } from './ipam-controller.js';
import { NetworkState, type NetworkConfig } from './network-state.js';
import { PolicyController } from './policy-controller.js';
import { registerRuntime, type NetworkRuntime } from './runtime.js';
import { ServiceController } from './service-controller.js';

export type NetworkControllerContext = Pick<ControllerContext, 'store' | 'clock' | 'infraClock' | 'log' | 'informer' | 'addController' | 'onStart' | 'onStop'>;

export interface NetworkControllers extends NetworkRuntime {
  readonly ipam: IpamController;
  readonly policy: PolicyController;
  readonly services: ServiceController;
  readonly health: HealthChecker;
}

export function addNetworkControllers(ctx: NetworkControllerContext, config: Partial<NetworkConfig> = {}): NetworkControllers {
  const { store, clock, infraClock, log } = ctx;
  const state = new NetworkState(config);
  const informers = networkInformers(ctx);
  const health = new HealthChecker(state, infraClock, informers.pods);
  // IPAM first: a pod's address is in its status before the engine and the proxy look at it.
  const ipam = ctx.addController((enq) => new IpamController(store, clock, state, informers, enq, log), 8);
  // One worker: the engine's batches are applied in the order the informers delivered them.
  const policy = ctx.addController((enq) => new PolicyController(store, clock, state, informers, enq, log), 1);
  const services = ctx.addController((enq) => new ServiceController(store, clock, infraClock, state, informers, enq, log, () => health.kick()), 2);
  ctx.onStart(() => {
    ipam.rebuild();
    services.rebuild();
    policy.rebuild();
  });
  ctx.onStop(() => health.stop());
  const datapath = new DataPath(state, infraClock);
  const runtime = { state, datapath, informers };
  registerRuntime(store, runtime);
  return { ...runtime, ipam, policy, services, health };
}
