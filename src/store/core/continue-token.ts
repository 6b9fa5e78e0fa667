/** The opaque `continue` token of a paged list: the last key returned and the first page's revision. */
import { ValidationError } from '../../api/index.js';

/** Where the next page starts (exclusive) and the revision the first page reflected. */
export interface PageCursor {
  readonly namespace: string;
  readonly name: string;
  readonly revision: number;
}

export function encodeContinue(c: PageCursor): string {
  return Buffer.from(JSON.stringify({ ns: c.namespace, n: c.name, rv: c.revision }), 'utf8').toString('base64url');
}

/** Parses a token from a previous page; ValidationError on field `continue` when it is not one. */
export function decodeContinue(token: string): PageCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw ValidationError.field('continue', 'malformed continue token');
  }
  if (typeof parsed === 'object' && parsed !== null) {
    const { ns, n, rv } = parsed as Record<string, unknown>;
    if (typeof ns === 'string' && typeof n === 'string' && typeof rv === 'number' && Number.isSafeInteger(rv)) {
      return { namespace: ns, name: n, revision: rv };
    }
  }
  throw ValidationError.field('continue', 'malformed continue token');
}
