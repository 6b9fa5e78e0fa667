/** Command groups of the availability capability, listed by commands/index.ts. (Being written.) */
import type { GroupSpec } from '../spec.js';

export const AVAILABILITY_GROUPS: readonly GroupSpec[] = [];
