/**
 * A scenario that parses but cannot run as written (a VM larger than an empty host of its zone):
 * the user's to fix, so the CLI prints it as one line. File problems are `ValidationError`s.
 */
import { BulkheadError } from '../api/index.js';

export class SimulationError extends BulkheadError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(422, 'Invalid', message, options);
  }
}
