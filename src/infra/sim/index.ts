/** The simulated datacenter (digital twin): the default infrastructure driver. */
export { createSimDriver, type SimDriver, type SimDriverOptions, type SimHostUsage, type SimStats } from './sim-driver.js';
export { planPrecopy, migrationSlots, type PrecopyInput, type PrecopyPlan } from './precopy.js';
export type { SimOperation } from './tasks.js';
export {
  DEFAULT_SIM_TIMINGS,
  DEFAULT_TIME_SCALE,
  defaultTimeScale,
  resolveTimings,
  type MigrationTimings,
  type SimTimings,
  type SimTimingsOverrides,
} from './timings.js';
