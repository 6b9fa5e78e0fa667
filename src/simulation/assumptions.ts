/**
 * The modeled times and figures the what-if uses beyond the simulated datacenter's own timings
 * (src/infra/sim/timings.ts), each with where it comes from. The report lists them, so a reader
 * can see which figure is measured elsewhere and which is our assumption.
 *
 * References (in /work/shared/reference unless a URL):
 * - scheduling-perf.md §4.3: vSphere HA declares a host dead 15 s after its last heartbeat
 *   (18 s with heartbeat datastores) -> `DEAD_AFTER_MS` from src/ha.
 * - scheduling-perf.md §1.3: Kubernetes marks a node NotReady after `node-monitor-grace-period`
 *   40 s and evicts its pods after the default `tolerationSeconds` 300 s: pods leave a lost node
 *   about 5.5-6 min after it fails.
 * - scheduling-perf.md §1.3: pod startup SLO, p99 <= 5 s for stateless pods with pre-pulled images.
 * - Bare-metal reprovisioning (PXE boot, OS image, kubelet join): no figure in the references.
 *   Public hints: dstack PR #1362 ("bare metal instances take longer than 10 minutes to
 *   provision", OCI), openshift/installer #2231 (30 min bare-metal timeouts "very tight":
 *   inspection, reboots, image pulls). 15 min is our assumption; `spec.bareMetal.reprovision`
 *   changes it.
 * - Control-plane load (etcd, API server at rest): 20 % of the node's vCPUs and half its memory,
 *   our assumption; the same absolute demand in both designs.
 */
import { DEAD_AFTER_MS } from '../ha/index.js';

/** vSphere HA host-failure detection (§4.3). */
export const HA_DETECTION_MS = DEAD_AFTER_MS;
/** Kubernetes node-monitor-grace-period (§1.3). */
export const NODE_MONITOR_GRACE_MS = 40_000;
/** Kubernetes default not-ready/unreachable toleration before eviction (§1.3). */
export const POD_EVICTION_MS = 300_000;
/** A pod's containers start this long after it is bound (pod startup SLO, §1.3). */
export const POD_START_MS = 5_000;
/** Default bare-metal reprovision time of a node onto a spare host (assumption, see above). */
export const BARE_METAL_REPROVISION_MS = 15 * 60_000;
/** Control-plane node demand, as fractions of its CPUs and memory (assumption). */
export const CONTROL_PLANE_CPU_FRACTION = 0.2;
export const CONTROL_PLANE_MEMORY_FRACTION = 0.5;

/** One line per assumption, for the report. */
export function assumptionLines(reprovisionMs: number, detectionMs: number): string[] {
  return [
    `VM design: a failed host is declared dead ${detectionMs / 1000} s after it fails (vSphere HA, scheduling-perf.md §4.3); HA then re-creates its VMs on surviving hosts with the simulator's modeled clone + boot (~40 s, src/infra/sim/timings.ts).`,
    `Both designs: Kubernetes marks a node NotReady after ${NODE_MONITOR_GRACE_MS / 1000} s and evicts its pods after another ${POD_EVICTION_MS / 1000} s (scheduling-perf.md §1.3); a bound pod runs ${POD_START_MS / 1000} s later (pod startup SLO, §1.3).`,
    `Bare-metal design: a lost node is reprovisioned onto a spare host (PXE, OS image, kubelet join) in ${reprovisionMs / 60_000} min, starting when the node goes NotReady. Assumption: the references give no figure (public hints: dstack#1362 ">10 min", openshift/installer#2231 "30 min timeouts very tight").`,
    'Bare-metal design: every cluster node, control plane included, is a whole host of its zone\'s hardware, one tenant per host; pods on a node share it through Linux CFS only (container boundary). Standalone churn VMs have no bare-metal counterpart and are left out of it.',
    'Hosts needed: VM design = the fewest hosts the real scheduler (isolation, capacity under overcommit, NUMA) packs the cluster VMs onto, plus one failover host per zone (HA N+1); bare-metal design = one host per node plus one spare per zone.',
    `Control-plane nodes demand ${CONTROL_PLANE_CPU_FRACTION * 100} % of their vCPUs and ${CONTROL_PLANE_MEMORY_FRACTION * 100} % of their memory in both designs (assumption).`,
  ];
}
