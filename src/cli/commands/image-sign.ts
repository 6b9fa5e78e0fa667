/** (Being written.) */
import type { Command } from '../spec.js';

export const IMAGE_SIGNING_COMMANDS: readonly Command[] = [];
