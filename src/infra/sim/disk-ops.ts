/**
 * Persistent disks of the simulated datacenter (BOSH persistent disks on a shared datastore): a
 * disk outlives the VM it is attached to, can be attached to one VM at a time, and cannot be
 * deleted while attached.
 */
import type { SimDisk, SimState } from './state.js';
import { busy, hostUnavailable, invalid } from './tasks.js';

export function createDisk(s: SimState, sizeMiB: number, _hostHint?: string): Promise<{ diskId: string }> {
  if (typeof sizeMiB !== 'number' || !Number.isInteger(sizeMiB) || sizeMiB <= 0) throw invalid(`sizeMiB must be a positive integer, got ${JSON.stringify(sizeMiB)}`);
  // The datastore is shared by every host, so the host hint does not constrain anything here.
  const diskId = s.newId('disk');
  return s.tasks.run({
    kind: 'createDisk',
    target: diskId,
    ms: s.tasks.jitter(s.timings.createDiskMs),
    done: () => {
      s.disks.set(diskId, { diskId, sizeMiB, vmId: undefined, snapshots: [], op: undefined });
      return { diskId };
    },
  });
}

/** Idempotent: deleting a disk that does not exist succeeds. */
export function deleteDisk(s: SimState, diskId: string): Promise<void> {
  const d = s.disks.get(diskId);
  if (!d) return Promise.resolve();
  if (d.vmId) throw invalid(`disk "${diskId}" is attached to VM "${d.vmId}"; detach it first`);
  return s.tasks.run({
    kind: 'deleteDisk',
    target: diskId,
    ms: s.tasks.jitter(s.timings.deleteDiskMs),
    locks: [d],
    done: () => void s.disks.delete(diskId),
  });
}

/** Idempotent: attaching a disk to the VM it is already attached to succeeds. */
export function attachDisk(s: SimState, vmId: string, diskId: string): Promise<void> {
  const vm = s.vm(vmId);
  const d = s.disk(diskId);
  if (d.vmId === vmId) return Promise.resolve();
  if (d.vmId) throw invalid(`disk "${diskId}" is attached to VM "${d.vmId}"`);
  if (vm.deleting) throw busy(`VM "${vmId}" is being deleted`);
  if (!vm.host.up) throw hostUnavailable(vm.host.inv.name, `has failed (VM "${vmId}" is on it)`);
  return s.tasks.run({
    kind: 'attachDisk',
    target: `${vmId}/${diskId}`,
    ms: s.tasks.jitter(s.timings.attachDiskMs),
    locks: [vm, d],
    done: () => {
      d.vmId = vmId;
      vm.disks = Object.freeze([...vm.disks, diskId]);
    },
  });
}

/** Idempotent: detaching a disk that is not attached to this VM succeeds. */
export function detachDisk(s: SimState, vmId: string, diskId: string): Promise<void> {
  const vm = s.vm(vmId);
  const d = s.disk(diskId);
  if (d.vmId !== vmId) return Promise.resolve();
  if (vm.deleting) throw busy(`VM "${vmId}" is being deleted`);
  if (!vm.host.up) throw hostUnavailable(vm.host.inv.name, `has failed (VM "${vmId}" is on it)`);
  return s.tasks.run({
    kind: 'detachDisk',
    target: `${vmId}/${diskId}`,
    ms: s.tasks.jitter(s.timings.detachDiskMs),
    locks: [vm, d],
    done: () => {
      d.vmId = undefined;
      vm.disks = Object.freeze(vm.disks.filter((x) => x !== diskId));
    },
  });
}

export function snapshotDisk(s: SimState, diskId: string): Promise<{ snapshotId: string }> {
  const d: SimDisk = s.disk(diskId);
  const snapshotId = s.newId('snap');
  return s.tasks.run({
    kind: 'snapshotDisk',
    target: diskId,
    ms: s.tasks.jitter(s.timings.snapshotDiskMs),
    locks: [d],
    done: () => {
      d.snapshots.push(snapshotId);
      return { snapshotId };
    },
  });
}
