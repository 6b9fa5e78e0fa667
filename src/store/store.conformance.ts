/**
 * The Store conformance suite: every Store implementation's test calls `runStoreConformance` with
 * a factory, and must pass all of it (Kysely-style: one suite, every dialect).
 */
import { describe } from 'vitest';
import { crudConformance } from './conformance/crud.conformance.js';
import { modelConformance } from './conformance/model.conformance.js';
import type { StoreFactory } from './conformance/helpers.conformance.js';
import { txAuditConformance } from './conformance/tx-audit.conformance.js';
import { watchConformance } from './conformance/watch.conformance.js';

export type { StoreFactory, StoreFactoryOptions } from './conformance/helpers.conformance.js';

/** Registers the whole suite under `describe(name)`; `factory` must return a fresh, empty store. */
export function runStoreConformance(name: string, factory: StoreFactory): void {
  describe(`${name}: store conformance`, () => {
    crudConformance(factory);
    watchConformance(factory);
    txAuditConformance(factory);
    modelConformance(factory);
  });
}
