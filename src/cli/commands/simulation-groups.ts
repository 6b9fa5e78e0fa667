/** Command groups of the simulation capability, listed by commands/index.ts. (Being written.) */
import type { GroupSpec } from '../spec.js';

export const SIMULATION_GROUPS: readonly GroupSpec[] = [];
