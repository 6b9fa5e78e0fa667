/**
 * The error vocabulary of Bulkhead. Every layer throws these; one place (the server's error
 * mapper) turns them into HTTP status codes and `Status` bodies, and the CLI prints their message.
 */

/** Kubernetes-style reasons carried in a `Status` body. */
export const STATUS_REASONS = [
  'BadRequest',
  'Invalid',
  'NotFound',
  'AlreadyExists',
  'Conflict',
  'Gone',
  'Unauthorized',
  'Forbidden',
  'RequestEntityTooLarge',
  'UnsupportedMediaType',
  'MethodNotAllowed',
  'TooManyRequests',
  'ServiceUnavailable',
  'InternalError',
] as const;
export type StatusReason = (typeof STATUS_REASONS)[number];

/** One field-level problem: the dotted path of the field and what is wrong with it. */
export interface FieldCause {
  readonly field: string;
  readonly message: string;
}

/** Base class: an error with an HTTP code and a machine-readable reason. */
export class BulkheadError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  /** True when repeating the same call may succeed (e.g. a conflict or a busy backend). */
  readonly retryable: boolean;

  constructor(code: number, reason: StatusReason, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.reason = reason;
    this.retryable = options?.retryable ?? false;
  }
}

/** Input that does not match the schema; `causes` names every offending field. */
export class ValidationError extends BulkheadError {
  readonly causes: readonly FieldCause[];
  readonly kind: string | undefined;
  readonly objectName: string | undefined;

  constructor(causes: readonly FieldCause[], context?: { kind?: string; name?: string }) {
    const first = causes[0];
    const subject = context?.kind ? `${context.kind}${context.name ? ` "${context.name}"` : ''} is invalid: ` : '';
    const detail = causes.map((c) => `${c.field}: ${c.message}`).join('; ');
    super(422, 'Invalid', `${subject}${detail || (first?.message ?? 'invalid input')}`);
    this.causes = causes;
    this.kind = context?.kind;
    this.objectName = context?.name;
  }

  /** Shorthand for one bad field. */
  static field(field: string, message: string, context?: { kind?: string; name?: string }): ValidationError {
    return new ValidationError([{ field, message }], context);
  }
}

/** The request itself cannot be understood (malformed JSON/YAML, bad query parameter). */
export class BadRequestError extends BulkheadError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(400, 'BadRequest', message, options);
  }
}

/** The named object does not exist. */
export class NotFoundError extends BulkheadError {
  constructor(
    readonly kind: string,
    readonly objectName: string,
    readonly namespace?: string,
  ) {
    super(404, 'NotFound', `${kind} "${namespace ? `${namespace}/` : ''}${objectName}" not found`);
  }
}

/** Create of a name that is taken. */
export class AlreadyExistsError extends BulkheadError {
  constructor(
    readonly kind: string,
    readonly objectName: string,
    readonly namespace?: string,
  ) {
    super(409, 'AlreadyExists', `${kind} "${namespace ? `${namespace}/` : ''}${objectName}" already exists`);
  }
}

/** Optimistic concurrency failure: the caller's resourceVersion is stale. Re-read and retry. */
export class ConflictError extends BulkheadError {
  constructor(message: string) {
    super(409, 'Conflict', message, { retryable: true });
  }
}

/** A watch asked for a revision that has been compacted away; the client must relist. */
export class GoneError extends BulkheadError {
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(410, 'Gone', `too old resource version: ${requested} (oldest available ${oldest})`);
  }
}

/** No or invalid credentials. */
export class UnauthorizedError extends BulkheadError {
  constructor(message = 'authentication required') {
    super(401, 'Unauthorized', message);
  }
}

/** Authenticated, but the role does not allow it. */
export class ForbiddenError extends BulkheadError {
  constructor(message: string) {
    super(403, 'Forbidden', message);
  }
}

/** Body over the configured size limit. */
export class PayloadTooLargeError extends BulkheadError {
  constructor(limitBytes: number) {
    super(413, 'RequestEntityTooLarge', `request body exceeds the limit of ${limitBytes} bytes`);
  }
}

/** A backend (database, driver) is temporarily unavailable; safe to retry. */
export class UnavailableError extends BulkheadError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(503, 'ServiceUnavailable', message, { ...options, retryable: true });
  }
}

/** Narrowing helper. */
export function isBulkheadError(e: unknown): e is BulkheadError {
  return e instanceof BulkheadError;
}
