/** The vocabulary of Bulkhead: kinds, metadata, errors, validation. Imports nothing else of ours. */
export * from './errors.js';
export * from './meta.js';
export * from './registry.js';
export * from './validate.js';
export * from './kinds/zone.js';
export * from './kinds/host.js';
export * from './kinds/virtual-machine.js';
export * from './kinds/tenant.js';
export * from './kinds/user.js';
export * from './kinds/role.js';
export * from './kinds/token.js';
export * from './kinds/workload-kinds.js';
export * from './kinds/plan.js';
export * from './kinds/cluster.js';
export * from './kinds/event.js';
export * from './kinds/project.js';
export * from './kinds/robot-account.js';
