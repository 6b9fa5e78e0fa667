/** Kinds of the image registry capability (projects, robot accounts, ...), added to the kind registry. */
import type { KindDef } from '../registry.js';

export const REGISTRY_KINDS: readonly KindDef[] = [];
