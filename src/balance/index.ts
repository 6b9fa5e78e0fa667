/**
 * The balance capability's door for the API server's admission: ResourcePool, DrsRule and
 * DrsRecommendation writes, and the resource part of VirtualMachine admission. (The capability
 * itself plugs in through extension.ts.)
 */
export { admitPoolDelete, admitResourcePool } from './admission/pool-admission.js';
export { admitDrsRule } from './admission/rule-admission.js';
export { admitVmResources } from './admission/vm-admission.js';
export { refuseRecommendationWrite } from './admission/recommendation-admission.js';
export type { VmResourceStatus, VmStatusWithResources } from './controller/status-figures.js';
export { DEFAULT_VM_CPU_FRACTION, DEFAULT_VM_MEMORY_FRACTION } from './model/vm-demand.js';
export { computeUsage, type UsageInputs, type UsageSnapshot } from './model/usage-snapshot.js';
export { drsStateOf } from './drs/drs-state.js';
