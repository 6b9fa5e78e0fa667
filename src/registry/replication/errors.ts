/**
 * What can go wrong while replicating, typed so the executor can tell a failure worth retrying
 * (network, 5xx, 429) from one that will not change (401, 404, a bad digest, a missing credential).
 */

/** Base class: a replication failure with whether repeating the step may succeed. */
export class ReplicationError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The registry answered with an unexpected status (OCI error code when its body had one). */
export class RegistryRequestError extends ReplicationError {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`${method} ${url}: ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`, status >= 500 || status === 429 || status === 408);
  }
}

/** The registry could not be reached (refused, DNS, TLS, reset, timeout). */
export class RegistryUnreachableError extends ReplicationError {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`cannot reach ${url}: ${describeCause(cause)}`, true, { cause });
  }
}

/** Content did not hash to the digest it was fetched or announced by. */
export class DigestMismatchError extends ReplicationError {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`content digest ${actual} does not match ${expected}`, true);
  }
}

/** The policy cannot run as configured (missing credential, project or catalog); retrying will not help. */
export class ReplicationConfigError extends ReplicationError {
  constructor(message: string) {
    super(message, false);
  }
}

/** The innermost useful message of a fetch failure (`fetch failed` hides `ECONNREFUSED 127.0.0.1:1`). */
export function describeCause(err: unknown): string {
  let cur: unknown = err;
  let msg = '';
  for (let depth = 0; cur instanceof Error && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    msg = typeof code === 'string' && !cur.message.includes(code) ? `${code} ${cur.message}` : cur.message;
    cur = cur.cause;
  }
  return msg || String(err);
}

/** Whether `err` is worth another attempt. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof ReplicationError) return err.retryable;
  // Anything unexpected (a reset mid-stream surfaces as a plain TypeError) gets another try.
  return !(err instanceof RangeError);
}
