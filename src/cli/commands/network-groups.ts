/** Command groups of the network capability, listed by commands/index.ts. (Being written.) */
import type { GroupSpec } from '../spec.js';

export const NETWORK_GROUPS: readonly GroupSpec[] = [];
