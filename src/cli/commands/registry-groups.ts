/** Command groups of the registry capability, listed by commands/index.ts. */
import type { GroupSpec } from '../spec.js';

export const REGISTRY_GROUPS: readonly GroupSpec[] = [];
