/** Kinds of the simulation capability, added to the kind registry. (Being written.) */
import type { KindDef } from '../registry.js';

export const SIMULATION_KINDS: readonly KindDef[] = [];
