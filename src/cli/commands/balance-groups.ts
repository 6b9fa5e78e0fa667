/** Command groups of the balance capability, listed by commands/index.ts. (Being written.) */
import type { GroupSpec } from '../spec.js';

export const BALANCE_GROUPS: readonly GroupSpec[] = [];
