/** Kinds of the network capability, added to the kind registry. (Being written.) */
import type { KindDef } from '../registry.js';

export const NETWORK_KINDS: readonly KindDef[] = [];
