/** Kinds of the availability capability, added to the kind registry. (Being written.) */
import type { KindDef } from '../registry.js';

export const AVAILABILITY_KINDS: readonly KindDef[] = [];
