/**
 * What the workload controllers are built with: the parts of the platform's ControllerContext
 * they use, so tests can build them on a VirtualClock and an in-memory store without a driver.
 */
import type { ControllerContext } from '../platform/extension.js';

export type WorkloadControllerContext = Pick<ControllerContext, 'store' | 'clock' | 'infraClock' | 'log' | 'seed' | 'informer' | 'addController' | 'onStart' | 'services'>;
