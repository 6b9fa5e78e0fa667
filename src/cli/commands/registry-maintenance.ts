/** (Being written.) */
import type { Command } from '../spec.js';

export const REGISTRY_MAINTENANCE_COMMANDS: readonly Command[] = [];
