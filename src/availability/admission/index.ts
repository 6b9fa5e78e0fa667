/**
 * The availability capability's admission rules, called by the API server's admission step
 * (src/server/admission.ts) before a write: HA admission control on VM power-on, VmMigration
 * checks, maintenance-mode checks and Zone HA settings. Each reads a view of the store loaded
 * only when the write concerns it.
 */
import type { Host, Resource, Tenant, VirtualMachine, VmMigration, Zone } from '../../api/index.js';
import type { Store } from '../../store/index.js';
import { storeView, type ClusterView } from '../model/cluster-view.js';
import { haEnabled } from '../model/ha-config.js';
import { checkEnterMaintenance, entersMaintenance } from './maintenance.js';
import { admitMigration } from './migration.js';
import { checkHaPowerOn, powersOn } from './power-on.js';
import { checkZoneHa } from './zone.js';

/** Checks (and for VmMigrations, stamps) a write; returns the object to store. */
export async function admitAvailability(store: Store, obj: Resource, old: Resource | undefined): Promise<Resource> {
  let view: ClusterView | undefined;
  const load = async () => (view ??= await storeView(store));
  switch (obj.kind) {
    case 'VirtualMachine': {
      const vm = obj as VirtualMachine;
      if (!powersOn(vm, old as VirtualMachine | undefined)) return obj;
      // Cheap exit: no zone has HA on (one list of zones, no VM list).
      const zones = await store.list<Zone>('Zone');
      if (!zones.items.some(haEnabled)) return obj;
      const v = await load();
      const tenant = vm.spec ? await store.tryGet<Tenant>('Tenant', '', vm.spec.tenant) : undefined;
      checkHaPowerOn(v, old === undefined ? vm : { ...vm, status: (old as VirtualMachine).status ?? {} }, tenant);
      return obj;
    }
    case 'VmMigration':
      return admitMigration(await load(), obj as VmMigration, old as VmMigration | undefined);
    case 'Host':
      if (entersMaintenance(obj as Host, old as Host | undefined)) checkEnterMaintenance(await load(), obj as Host);
      return obj;
    case 'Zone': {
      const ac = (obj as Zone).spec?.ha?.admissionControl;
      if (ac?.policy === 'failoverHosts' || ac?.failoverHosts !== undefined) checkZoneHa(await load(), obj as Zone);
      return obj;
    }
    default:
      return obj;
  }
}
