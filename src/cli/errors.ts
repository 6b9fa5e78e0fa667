/**
 * CLI error kinds. A UserError is the user's mistake (bad flag, unknown kind, a Status from the
 * server) and prints one line; anything else is a bug and shows its stack only with --debug
 * (Wrangler's UserError / FatalError split).
 */

/** A mistake the user can fix: printed as `error: <message>`, exit 1, no stack. */
export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}
