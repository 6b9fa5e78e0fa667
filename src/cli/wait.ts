/** Polling helpers for `--wait`: re-read an object until a condition holds or a deadline passes. */
import { ApiError } from './client.js';
import type { Context } from './context.js';
import { UserError } from './errors.js';

/** Poll interval for --wait. */
export const POLL_MS = 250;

/**
 * Calls `check` every POLL_MS until it returns a value (done) or `timeoutMs` passes. A 404 is
 * handed to `check` as undefined, so callers can wait for deletion too.
 */
export async function pollUntil<T, R>(
  ctx: Context,
  what: string,
  timeoutMs: number,
  read: () => Promise<T>,
  check: (value: T | undefined) => R | undefined,
): Promise<R> {
  const deadline = ctx.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    try {
      value = await read();
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
      value = undefined;
    }
    const done = check(value);
    if (done !== undefined) return done;
    if (ctx.now() >= deadline) throw new UserError(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}`);
    await ctx.sleep(POLL_MS);
  }
}
