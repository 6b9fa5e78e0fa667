/** (Being written.) */
import type { Command } from '../spec.js';

export const REPLICATION_COMMANDS: readonly Command[] = [];
