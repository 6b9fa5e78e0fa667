/** Kinds of the balance capability, added to the kind registry. (Being written.) */
import type { KindDef } from '../registry.js';

export const BALANCE_KINDS: readonly KindDef[] = [];
