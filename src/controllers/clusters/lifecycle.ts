/**
 * Create, resize and the action bookkeeping: missing node VMs are created (with their disks),
 * surplus workers are drained and removed highest index first, their disks released, and the
 * status (nodes, conditions, last action) is summarized from what the VMs report.
 */
import { setCondition, type ClusterNode, type NodeHealth, type VirtualMachine } from '../../api/index.js';
import { nodeVm, sameVersion, slotOf, versionOf } from './nodes.js';
import { elapsed, type Work } from './work.js';

/** Creates the VM of every desired slot that has none (and is not being replaced). */
export async function createMissing(w: Work): Promise<void> {
  for (const slot of w.slots) {
    if (w.vms.has(slot.name) || w.st.replacing[slot.name]) continue;
    const diskId = w.st.disks[slot.name];
    if (!diskId) continue; // its disk is being created
    await w.ops.createVm(nodeVm(w.cluster, w.plan, slot, w.current, diskId, w.tenantSensitivity, w.tenantZones));
  }
}

/** Scale down: drains surplus workers (cordon + evict, up to the drain timeout), then deletes them. */
export async function removeSurplus(w: Work): Promise<void> {
  const wanted = new Set(w.slots.map((s) => s.name));
  const surplus = [...w.vms.values()].filter((vm) => !wanted.has(vm.metadata.name)).sort((a, b) => slotOf(b).index - slotOf(a).index);
  for (const vm of surplus) {
    const name = vm.metadata.name;
    if (vm.metadata.deletionTimestamp) continue;
    const started = w.st.draining[name];
    if (!started) {
      w.st.draining[name] = w.nowIso;
      if (vm.status?.phase === 'Running') await w.ops.setDrainMarks(vm, true);
      w.events.push(['Normal', 'Draining', `draining node ${name} before removing it`]);
      continue;
    }
    const pods = w.ops.podsOn(w.cluster.metadata.name, name);
    const timedOut = elapsed(w, started) >= (w.plan.drainTimeoutMs ?? 0);
    if (pods > 0 && !timedOut) continue;
    if (pods > 0) w.events.push(['Warning', 'DrainTimeout', `node ${name} still had ${pods} pods after the drain timeout; removing it anyway`]);
    await w.ops.deleteVm(name);
    w.events.push(['Normal', 'RemovingNode', `removing node ${name}`]);
  }
  // Disks of slots that are gone for good (scaled away and their VM deleted).
  for (const [slot, diskId] of Object.entries(w.st.disks)) {
    if (wanted.has(slot) || w.vms.has(slot)) continue;
    await w.ops.deleteDisk(diskId);
    delete w.st.disks[slot];
    delete w.st.draining[slot];
    delete w.st.alerts[slot];
    delete w.st.notRunningSince[slot];
  }
  for (const name of Object.keys(w.st.draining)) if (!w.vms.has(name) && wanted.has(name)) delete w.st.draining[name];
}

function health(vm: VirtualMachine | undefined): NodeHealth {
  const phase = vm?.status?.phase;
  if (phase === 'Running') return 'Healthy';
  if (phase === 'Lost' || phase === 'Failed') return 'Unhealthy';
  return 'Unknown';
}

function describeWaiting(w: Work, running: number, total: number): string {
  const pending = w.slots.map((s) => w.vms.get(s.name)).find((vm) => vm?.status?.conditions?.some((c) => c.type === 'Scheduled' && c.status === 'False'));
  const sched = pending?.status?.conditions?.find((c) => c.type === 'Scheduled');
  const busy = Object.keys(w.st.replacing).length + Object.keys(w.st.draining).length;
  return `${running}/${total} nodes running${busy ? `, ${busy} being replaced or drained` : ''}${pending && sched ? `; ${pending.metadata.name} cannot be scheduled: ${sched.message}` : ''}`;
}

/** Fills nodes, conditions and the last action's state from the VMs. */
export function summarize(w: Work): void {
  const nodes: ClusterNode[] = [];
  const wanted = new Set(w.slots.map((s) => s.name));
  for (const slot of w.slots) {
    const vm = w.vms.get(slot.name);
    const v = vm ? versionOf(vm).version : undefined;
    nodes.push({
      name: slot.name,
      role: slot.role,
      vm: slot.name,
      ...(vm?.status?.host ? { host: vm.status.host } : {}),
      phase: vm?.metadata.deletionTimestamp ? 'Deleting' : (vm?.status?.phase ?? 'Absent'),
      health: health(vm),
      ...(v ? { version: v } : {}),
      ...(w.st.disks[slot.name] ? { diskId: w.st.disks[slot.name] } : {}),
    });
  }
  const running = w.slots.filter((s) => w.vms.get(s.name)?.status?.phase === 'Running' && !w.vms.get(s.name)?.metadata.deletionTimestamp).length;
  const workers = w.slots.filter((s) => s.role === 'worker');
  const workersRunning = workers.filter((s) => w.vms.get(s.name)?.status?.phase === 'Running').length;
  w.st.nodes = nodes;
  w.st.workersReady = `${workersRunning}/${workers.length}`;
  const surplus = [...w.vms.keys()].filter((n) => !wanted.has(n)).length;
  const settled = running === w.slots.length && surplus === 0 && Object.keys(w.st.replacing).length === 0;
  const a = w.st.lastAction;
  const gen = w.cluster.metadata.generation ?? 1;
  if (a?.state === 'in progress') {
    const upToDate = a.type !== 'upgrade' || w.slots.every((s) => { const vm = w.vms.get(s.name); return vm && sameVersion(versionOf(vm), w.target); });
    if (settled && upToDate) {
      const description = a.type === 'create' ? 'Instance provisioning completed' : a.type === 'upgrade' ? `Upgraded to Kubernetes ${w.target.version} (${w.target.stemcell})` : 'Instance update completed';
      w.st.lastAction = { ...a, state: 'succeeded', description, finishedAt: w.nowIso };
      if (a.type !== 'update') {
        w.st.kubernetesVersion = w.target.version;
        w.st.stemcell = w.target.stemcell;
      }
      w.events.push(['Normal', `${a.type[0]!.toUpperCase()}${a.type.slice(1)}Succeeded`, description]);
    } else w.st.lastAction = { ...a, description: `${a.type}: ${describeWaiting(w, running, w.slots.length)}` };
  }
  const progressing = w.st.lastAction?.state === 'in progress';
  w.st.conditions = setCondition(w.st.conditions, { type: 'Progressing', status: progressing ? 'True' : 'False', reason: progressing ? 'ActionInProgress' : 'Idle', message: w.st.lastAction?.description ?? '', observedGeneration: gen }, w.nowIso);
  w.st.conditions = setCondition(
    w.st.conditions,
    { type: 'Ready', status: running === w.slots.length ? 'True' : 'False', reason: running === w.slots.length ? 'AllNodesRunning' : 'NodesNotRunning', message: `${running}/${w.slots.length} nodes running`, observedGeneration: gen },
    w.nowIso,
  );
}
