/**
 * VM lifecycle of the simulated datacenter: create (clone + boot), delete, reboot, power and
 * metadata. The sim checks physics only (the host is up, its NUMA nodes exist, it has the memory
 * and the features); where to place a VM is the scheduler's decision.
 */
import type { CreateVmRequest, VmResources } from '../driver.js';
import type { SimState, SimVm } from './state.js';
import { busy, hostUnavailable, invalid, notFound } from './tasks.js';

const NO_DISKS: readonly string[] = Object.freeze([]);
const NO_METADATA: Readonly<Record<string, string>> = Object.freeze({});

const isPosInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;

function checkResources(r: VmResources | undefined): VmResources {
  if (!r || typeof r !== 'object') throw invalid('resources are required');
  if (!isPosInt(r.cpus)) throw invalid(`resources.cpus must be a positive integer, got ${JSON.stringify(r.cpus)}`);
  if (!isPosInt(r.memoryMiB)) throw invalid(`resources.memoryMiB must be a positive integer, got ${JSON.stringify(r.memoryMiB)}`);
  if (!Array.isArray(r.numaNodes) || !r.numaNodes.every((n) => Number.isInteger(n) && n >= 0))
    throw invalid('resources.numaNodes must be a list of NUMA node ids');
  if (new Set(r.numaNodes).size !== r.numaNodes.length) throw invalid('resources.numaNodes has duplicates');
  return Object.freeze({ ...r, numaNodes: Object.freeze([...r.numaNodes]) });
}

/** Throws InvalidRequest when the host lacks the VM's NUMA nodes or features. */
export function checkFits(s: SimState, vm: { resources: VmResources }, hostName: string): void {
  const h = s.upHost(hostName);
  for (const n of vm.resources.numaNodes) if (!h.numaIds.has(n)) throw invalid(`host "${hostName}" has no NUMA node ${n}`);
  if (vm.resources.encryptedMemory && !h.features.has('sev-es')) throw invalid(`host "${hostName}" has no sev-es feature for encrypted memory`);
}

export function createVm(s: SimState, req: CreateVmRequest): Promise<{ vmId: string }> {
  if (typeof req.agentId !== 'string' || req.agentId === '') throw invalid('agentId is required');
  if (typeof req.stemcell !== 'string' || req.stemcell === '') throw invalid('stemcell is required');
  const resources = checkResources(req.resources);
  const host = s.upHost(req.host);
  checkFits(s, { resources }, req.host);
  s.checkMemory(host, resources.memoryMiB);
  const vm: SimVm = {
    vmId: s.newId('vm'),
    agentId: req.agentId,
    host,
    power: 'stopped',
    resources,
    metadata: NO_METADATA,
    disks: NO_DISKS,
    provisioning: true,
    holdsMemory: false,
    deleting: undefined,
    dirtyRateMBps: undefined,
    op: undefined,
  };
  s.hold(vm);
  s.vms.set(vm.vmId, vm);
  host.vms.add(vm);
  const t = s.timings;
  return s.tasks.run({
    kind: 'createVm',
    target: vm.vmId,
    ms: s.tasks.jitter(t.cloneMs) + s.tasks.jitter(t.bootMs),
    locks: [vm],
    done: () => {
      vm.provisioning = false;
      s.setPower(vm, 'running', 'Created');
      return { vmId: vm.vmId };
    },
    undo: () => {
      s.release(vm);
      s.vms.delete(vm.vmId);
      vm.host.vms.delete(vm);
    },
  });
}

export function deleteVm(s: SimState, vmId: string): Promise<void> {
  const vm = s.vms.get(vmId);
  if (!vm || vm.provisioning) return Promise.resolve();
  if (vm.deleting) return vm.deleting;
  // Deleting wins over whatever the VM was doing (vCenter: power off, then destroy).
  vm.op?.cancel(notFound('VM', vmId));
  vm.deleting = s.tasks.run({
    kind: 'deleteVm',
    target: vmId,
    ms: s.tasks.jitter(s.timings.deleteVmMs),
    done: () => {
      s.release(vm);
      // Persistent disks survive their VM (BOSH keeps them for the replacement VM).
      for (const d of vm.disks) {
        const disk = s.disks.get(d);
        if (disk) disk.vmId = undefined;
      }
      vm.disks = NO_DISKS;
      vm.host.vms.delete(vm);
      s.vms.delete(vmId);
    },
  });
  return vm.deleting;
}

/** A VM that can take a new task: visible, not being deleted, on a host that is up. */
function actionable(s: SimState, vmId: string): SimVm {
  const vm = s.vm(vmId);
  if (vm.deleting) throw busy(`VM "${vmId}" is being deleted`);
  if (!vm.host.up) throw hostUnavailable(vm.host.inv.name, `has failed (VM "${vmId}" is on it)`);
  if (vm.host.isolated) throw hostUnavailable(vm.host.inv.name, `is isolated from the management network (VM "${vmId}" is on it)`);
  s.tasks.checkFree([vm], `VM "${vmId}"`);
  return vm;
}

/** Boots a stopped or crashed VM; memory is held from the start of the boot. */
function boot(s: SimState, vm: SimVm, kind: string, reason: string): Promise<void> {
  s.hold(vm);
  return s.tasks.run({
    kind,
    target: vm.vmId,
    ms: s.tasks.jitter(s.timings.bootMs),
    locks: [vm],
    done: () => s.setPower(vm, 'running', reason),
    undo: () => s.release(vm),
  });
}

/** Reboots a running VM; a stopped or crashed one is booted (a hard reset starts it). */
export function rebootVm(s: SimState, vmId: string): Promise<void> {
  const vm = actionable(s, vmId);
  if (vm.power !== 'running') return boot(s, vm, 'rebootVm', 'Rebooted');
  return s.tasks.run({
    kind: 'rebootVm',
    target: vmId,
    ms: s.tasks.jitter(s.timings.rebootMs),
    locks: [vm],
    done: () => s.setPower(vm, 'running', 'Rebooted'),
  });
}

export function setVmPower(s: SimState, vmId: string, on: boolean): Promise<void> {
  const vm = actionable(s, vmId);
  if (on) return vm.power === 'running' ? Promise.resolve() : boot(s, vm, 'powerOn', 'PoweredOn');
  if (vm.power !== 'running') return Promise.resolve();
  return s.tasks.run({
    kind: 'powerOff',
    target: vmId,
    ms: s.tasks.jitter(s.timings.powerOffMs),
    locks: [vm],
    done: () => {
      s.release(vm);
      s.setPower(vm, 'stopped', 'PoweredOff');
    },
  });
}

/** Merges keys into the VM's metadata (BOSH set_vm_metadata: tags, kept in vCenter, so it works while the host is down). */
export function setVmMetadata(s: SimState, vmId: string, metadata: Readonly<Record<string, string>>): Promise<void> {
  const vm = s.vm(vmId);
  if (typeof metadata !== 'object' || metadata === null) throw invalid('metadata must be an object of strings');
  for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw invalid(`metadata.${k} must be a string`);
  const copy = { ...metadata };
  return s.tasks.run({
    kind: 'setVmMetadata',
    target: vmId,
    ms: s.tasks.jitter(s.timings.setMetadataMs),
    done: () => {
      if (s.vms.get(vmId) !== vm) throw notFound('VM', vmId);
      vm.metadata = Object.freeze({ ...vm.metadata, ...copy });
    },
  });
}
