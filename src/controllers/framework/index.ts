/** The controller machinery: informers, work queue, reconcile loop. */
export * from './informer.js';
export * from './work-queue.js';
export * from './controller.js';
export * from './controller-set.js';
