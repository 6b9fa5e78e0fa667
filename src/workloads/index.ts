/** Workloads inside clusters: the extension, its controllers and the store naming of workload objects. */
export { workloadsExtension } from './extension.js';
export { addWorkloadControllers, type WorkloadControllers, type WorkloadControllerOptions } from './controllers/wiring.js';
export { storeNamespace, splitStoreNamespace } from './names.js';
export type { WorkloadControllerContext } from './context.js';
