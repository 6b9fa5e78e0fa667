/**
 * OCI Distribution errors: the spec's error codes with their HTTP status, rendered as
 * `{ "errors": [{ "code", "message", "detail" }] }` by the /v2 error handler.
 */

/** The error codes of the OCI Distribution spec (code-1 ... code-14). */
export const OCI_ERROR_CODES = [
  'BLOB_UNKNOWN',
  'BLOB_UPLOAD_INVALID',
  'BLOB_UPLOAD_UNKNOWN',
  'DIGEST_INVALID',
  'MANIFEST_BLOB_UNKNOWN',
  'MANIFEST_INVALID',
  'MANIFEST_UNKNOWN',
  'NAME_INVALID',
  'NAME_UNKNOWN',
  'SIZE_INVALID',
  'UNAUTHORIZED',
  'DENIED',
  'UNSUPPORTED',
  'TOOMANYREQUESTS',
] as const;
export type OciErrorCode = (typeof OCI_ERROR_CODES)[number];

/** An error a registry client sees: an OCI code, an HTTP status and optional headers. */
export class OciError extends Error {
  constructor(
    readonly status: number,
    readonly code: OciErrorCode,
    message: string,
    readonly detail?: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'OciError';
  }

  body(): { errors: { code: OciErrorCode; message: string; detail?: unknown }[] } {
    return { errors: [{ code: this.code, message: this.message, ...(this.detail !== undefined ? { detail: this.detail } : {}) }] };
  }
}

export const nameInvalid = (name: string, why: string) => new OciError(400, 'NAME_INVALID', `invalid repository name "${name}": ${why}`);
export const nameUnknown = (name: string) => new OciError(404, 'NAME_UNKNOWN', `repository "${name}" is not known to the registry`);
export const blobUnknown = (digest: string) => new OciError(404, 'BLOB_UNKNOWN', `blob ${digest} is not known to the repository`, { digest });
export const manifestUnknown = (ref: string) => new OciError(404, 'MANIFEST_UNKNOWN', `manifest ${ref} is not known to the repository`, { reference: ref });
export const manifestInvalid = (why: string) => new OciError(400, 'MANIFEST_INVALID', `manifest invalid: ${why}`);
export const digestInvalid = (why: string) => new OciError(400, 'DIGEST_INVALID', why);
export const uploadUnknown = (id: string) => new OciError(404, 'BLOB_UPLOAD_UNKNOWN', `blob upload ${id} is not known to the registry`);
export const uploadInvalid = (why: string) => new OciError(400, 'BLOB_UPLOAD_INVALID', `blob upload invalid: ${why}`);
export const denied = (why: string) => new OciError(403, 'DENIED', why);
export const unsupported = (why: string) => new OciError(400, 'UNSUPPORTED', why);
