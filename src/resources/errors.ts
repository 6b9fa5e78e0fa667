/** Errors of the resource model that are bugs or impossible inputs, not user mistakes. */
import { BulkheadError } from '../api/index.js';

/** An internal invariant of the resource model broke (a bug); carries the model step that found it. */
export class ResourceModelError extends BulkheadError {
  constructor(
    readonly step: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(500, 'InternalError', `${step}: ${message}`, options);
  }
}
