/**
 * The one place errors become HTTP: every BulkheadError maps to its code and a Kubernetes
 * `Status` body; Fastify's own errors (bad JSON, body too large, bad media type) are translated
 * to the same shape; anything else is a 500 with a generic message (details only in the log).
 */
import { BulkheadError, ValidationError, type StatusReason } from '../api/index.js';

export interface StatusBody {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly status: 'Failure' | 'Success';
  readonly code: number;
  readonly reason: StatusReason | 'Success';
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export function statusBody(code: number, reason: StatusReason, message: string, details?: Record<string, unknown>): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, ...(details ? { details } : {}) };
}

interface FastifyLikeError {
  readonly code?: string;
  readonly statusCode?: number;
  readonly message: string;
}

/** Maps any thrown value to a Status body; `internal` is true when it was a bug. */
export function toStatus(err: unknown, bodyLimit: number): { body: StatusBody; internal: boolean } {
  if (err instanceof ValidationError) {
    return {
      body: statusBody(err.code, err.reason, err.message, {
        ...(err.kind ? { kind: err.kind } : {}),
        ...(err.objectName ? { name: err.objectName } : {}),
        causes: err.causes.map((c) => ({ field: c.field, message: c.message })),
      }),
      internal: false,
    };
  }
  if (err instanceof BulkheadError) {
    const details: Record<string, unknown> = {};
    for (const k of ['kind', 'objectName', 'namespace'] as const) {
      const v = (err as unknown as Record<string, unknown>)[k];
      if (typeof v === 'string') details[k === 'objectName' ? 'name' : k] = v;
    }
    if (err.retryable) details['retryable'] = true;
    return { body: statusBody(err.code, err.reason, err.message, Object.keys(details).length ? details : undefined), internal: false };
  }
  const fe = err as FastifyLikeError;
  switch (fe?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { body: statusBody(413, 'RequestEntityTooLarge', `request body exceeds the limit of ${bodyLimit} bytes`), internal: false };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { body: statusBody(415, 'UnsupportedMediaType', 'unsupported content type: send application/json or application/yaml'), internal: false };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { body: statusBody(400, 'BadRequest', 'request body is empty'), internal: false };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { body: statusBody(400, 'BadRequest', 'request body does not match Content-Length'), internal: false };
  }
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const reason: StatusReason = fe.statusCode === 404 ? 'NotFound' : fe.statusCode === 405 ? 'MethodNotAllowed' : 'BadRequest';
    return { body: statusBody(fe.statusCode, reason, fe.message), internal: false };
  }
  return { body: statusBody(500, 'InternalError', 'internal error; see the server log'), internal: true };
}
