/**
 * Node replacement: the health monitor and resurrector (a down node is recreated with the same
 * name and disk unless the cluster is in meltdown) and the rolling upgrade (nodes recreated with
 * the new version in BOSH order, each watched before the next). Both drive the same per-slot
 * steps: draining -> deleting -> creating -> watching.
 */
import { setCondition, type NodeReplacement, type VirtualMachine } from '../../api/index.js';
import { HEALTH_DEFAULTS, pruneAlerts, resurrectionState } from './health.js';
import { DRAIN_ANNOTATION, nodeVm, sameVersion, versionOf, type Slot } from './nodes.js';
import { nextRolloutStep } from './rollout.js';
import { elapsed, type Work } from './work.js';
import { deferToHa } from './resurrector-ha.js';

const DOWN_PHASES = new Set(['Lost', 'Failed']);

function condition(w: Work, type: string, status: 'True' | 'False', reason: string, message: string): void {
  w.st.conditions = setCondition(w.st.conditions, { type, status, reason, message, observedGeneration: w.cluster.metadata.generation ?? 1 }, w.nowIso);
}

/** Health monitor: finds down nodes, then resurrects them or declares meltdown. */
export function monitorHealth(w: Work): void {
  const down: { slot: Slot; why: string }[] = [];
  for (const slot of w.slots) {
    const vm = w.vms.get(slot.name);
    if (w.st.replacing[slot.name] || !vm || vm.metadata.deletionTimestamp) continue;
    const phase = vm.status?.phase ?? 'Pending';
    if (phase === 'Running' || deferToHa(vm)) {
      delete w.st.notRunningSince[slot.name];
      continue;
    }
    // Like a BOSH agent timeout: down once not Running for the grace period (a Lost or Failed VM,
    // or one that ran before); nodes that fail together are therefore judged together.
    if (!DOWN_PHASES.has(phase) && !vm.status?.bootedAt) continue;
    const since = (w.st.notRunningSince[slot.name] ??= w.nowIso);
    if (elapsed(w, since) < HEALTH_DEFAULTS.graceMs) continue;
    down.push({ slot, why: `VM ${phase}${vm.status?.host ? ` on host ${vm.status.host}` : ''} for ${Math.round(elapsed(w, since) / 1000)} s` });
  }
  for (const d of down) w.st.alerts[d.slot.name] = w.nowIso;
  const alerts = pruneAlerts(w.st.alerts, w.now);
  for (const k of Object.keys(w.st.alerts)) if (!(k in alerts)) delete w.st.alerts[k];
  const verdict = resurrectionState(Object.keys(alerts).length, w.slots.length);
  if (verdict.state === 'meltdown') {
    const msg = `${verdict.unhealthy} of ${verdict.total} nodes down within ${HEALTH_DEFAULTS.windowMs / 1000} s: meltdown, resurrection stopped`;
    condition(w, 'Meltdown', 'True', 'Meltdown', msg);
    if (down.length) w.events.push(['Warning', 'Meltdown', msg]);
    return;
  }
  condition(w, 'Meltdown', 'False', 'BelowThreshold', `${verdict.unhealthy} of ${verdict.total} nodes had a critical alert within ${HEALTH_DEFAULTS.windowMs / 1000} s`);
  for (const [k, at] of Object.entries(w.st.resurrectedAt)) if (elapsed(w, at) >= HEALTH_DEFAULTS.windowMs) delete w.st.resurrectedAt[k];
  for (const { slot, why } of down) {
    if (elapsed(w, w.st.resurrectedAt[slot.name]) < HEALTH_DEFAULTS.retryIntervalMs && w.st.resurrectedAt[slot.name]) continue; // recreated a moment ago: wait
    w.st.resurrectedAt[slot.name] = w.nowIso;
    w.st.replacing[slot.name] = { reason: 'resurrect', step: 'deleting', startedAt: w.nowIso, stepSince: w.nowIso };
    delete w.st.notRunningSince[slot.name];
    w.events.push(['Warning', 'NodeDown', `node ${slot.name} is down: ${why}`]);
    w.events.push(['Normal', 'Resurrecting', `recreating node ${slot.name} with its disk ${w.st.disks[slot.name] ?? '(none)'}`]);
  }
}

/** Upgrade: starts the next nodes to recreate, in BOSH order. */
export function scheduleUpgrade(w: Work): void {
  const a = w.st.lastAction;
  if (a?.type !== 'upgrade' || a.state !== 'in progress') return;
  const inFlight = new Set(Object.entries(w.st.replacing).filter(([, r]) => r.reason === 'upgrade').map(([k]) => k));
  const outdated = new Set<string>();
  for (const s of w.slots) {
    const vm = w.vms.get(s.name);
    if (vm && !inFlight.has(s.name) && !w.st.replacing[s.name] && !sameVersion(versionOf(vm), w.target)) outdated.add(s.name);
  }
  const step = nextRolloutStep({ slots: w.slots, outdated, inFlight, update: w.plan.update ?? {} });
  for (const s of step.start) {
    const canary = s.role === 'worker' && step.canary;
    w.st.replacing[s.name] = { reason: 'upgrade', step: s.role === 'worker' ? 'draining' : 'deleting', startedAt: w.nowIso, stepSince: w.nowIso, ...(canary ? { canary } : {}) };
    w.events.push(['Normal', 'UpdatingNode', `recreating ${canary ? 'canary ' : ''}${s.role} node ${s.name} with Kubernetes ${w.target.version} (${w.target.stemcell})`]);
  }
}

function failUpgrade(w: Work, slot: string, r: NodeReplacement, why: string): void {
  const what = r.canary ? `canary ${slot}` : `node ${slot}`;
  const description = `upgrade stopped: ${what} failed: ${why}; the other nodes were not touched`;
  w.st.lastAction = { ...(w.st.lastAction ?? { type: 'upgrade', startedAt: w.nowIso }), type: 'upgrade', state: 'failed', description, finishedAt: w.nowIso };
  for (const [k, x] of Object.entries(w.st.replacing)) if (x.reason === 'upgrade') delete w.st.replacing[k];
  w.events.push(['Warning', 'UpgradeFailed', description]);
}

function why(vm: VirtualMachine): string {
  const c = vm.status?.conditions?.find((x) => x.status === 'False');
  return `VM ${vm.status?.phase ?? 'Pending'}${c ? ` (${c.message})` : ''}`;
}

/** Advances every slot being replaced by one step where it can. */
export async function stepReplacements(w: Work): Promise<void> {
  const upd = w.plan.update ?? {};
  for (const [name, r] of Object.entries(w.st.replacing)) {
    const slot = w.slots.find((s) => s.name === name);
    const vm = w.vms.get(name);
    const next = (step: NodeReplacement['step']) => (w.st.replacing[name] = { ...r, step, stepSince: w.nowIso });
    if (!slot) {
      delete w.st.replacing[name]; // scaled away meanwhile
      continue;
    }
    switch (r.step) {
      case 'draining': {
        if (vm && vm.status?.phase === 'Running') {
          if (vm.metadata.annotations?.[DRAIN_ANNOTATION] !== 'requested') await w.ops.setDrainMarks(vm, true);
          const pods = w.ops.podsOn(w.cluster.metadata.name, name);
          if (pods > 0 && elapsed(w, r.stepSince) < (w.plan.drainTimeoutMs ?? 0)) break;
          if (pods > 0) w.events.push(['Warning', 'DrainTimeout', `node ${name} still had ${pods} pods after the drain timeout; deleting it anyway`]);
        }
        next('deleting');
        break;
      }
      case 'deleting':
        if (vm && !vm.metadata.deletionTimestamp) await w.ops.deleteVm(name);
        if (vm) break;
        await w.ops.createVm(nodeVm(w.cluster, w.plan, slot, r.reason === 'upgrade' ? w.target : w.current, w.st.disks[name], w.tenantSensitivity, w.tenantZones));
        next('creating');
        break;
      case 'creating': {
        if (!vm) break; // the create is on its way to the cache
        const phase = vm.status?.phase;
        if (phase === 'Running') {
          if (r.reason === 'resurrect') {
            delete w.st.replacing[name];
            w.events.push(['Normal', 'Resurrected', `node ${name} runs again on host ${vm.status?.host ?? '?'} with disk ${w.st.disks[name] ?? '(none)'}`]);
          } else next('watching');
        } else if (deferToHa(vm)) {
          // Its host failed and HA is restarting it: wait rather than fail the upgrade.
        } else if (r.reason === 'upgrade' && (DOWN_PHASES.has(phase ?? '') || elapsed(w, r.stepSince) > (upd.nodeStartupTimeoutMs ?? 600_000))) {
          failUpgrade(w, name, r, DOWN_PHASES.has(phase ?? '') ? why(vm) : `not Running within ${(upd.nodeStartupTimeoutMs ?? 600_000) / 1000} s (${why(vm)})`);
        } else if (r.reason === 'resurrect' && DOWN_PHASES.has(phase ?? '')) {
          delete w.st.replacing[name]; // down again: the health monitor decides (and counts it)
        }
        break;
      }
      case 'watching': {
        if (vm && deferToHa(vm)) {
          next('creating'); // lost with its host during the watch; watched again once HA has it running
          break;
        }
        if (!vm || vm.status?.phase !== 'Running') {
          failUpgrade(w, name, r, vm ? `${why(vm)} during the ${r.canary ? 'canary ' : ''}watch time` : 'VM disappeared');
          break;
        }
        const watch = r.canary ? (upd.canaryWatchTimeMs ?? 30_000) : (upd.updateWatchTimeMs ?? 30_000);
        if (elapsed(w, r.stepSince) < watch) break;
        delete w.st.replacing[name];
        w.events.push(['Normal', 'NodeUpdated', `node ${name} runs Kubernetes ${w.target.version} and stayed healthy for ${watch / 1000} s`]);
        break;
      }
    }
  }
}

/** Removes cordon/drain marks from VMs no longer being drained (e.g. after a stopped upgrade). */
export async function uncordonStale(w: Work): Promise<void> {
  for (const vm of w.vms.values()) {
    if (vm.metadata.deletionTimestamp || vm.metadata.annotations?.[DRAIN_ANNOTATION] !== 'requested') continue;
    const r = w.st.replacing[vm.metadata.name];
    if (w.st.draining[vm.metadata.name] || (r && r.step !== 'creating' && r.step !== 'watching')) continue;
    await w.ops.setDrainMarks(vm, false);
  }
}
