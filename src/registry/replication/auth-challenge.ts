/**
 * `WWW-Authenticate` parsing (RFC 9110 §11.6.1) for the registry token flow: a 401 names the
 * scheme (`Basic` or `Bearer`) and, for Bearer, the token `realm`, `service` and `scope`. Quoted
 * values may hold commas (`scope="repository:a:pull,push"`), so a split on commas is not enough.
 */

export interface AuthChallenge {
  /** Lower-cased: `basic`, `bearer`. */
  readonly scheme: string;
  /** Parameter names lower-cased, values unquoted. */
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const SPACE = /[ \t]*/y;

function match(re: RegExp, s: string, at: number): string | undefined {
  re.lastIndex = at;
  const m = re.exec(s);
  return m ? m[0] : undefined;
}

function quoted(s: string, at: number): { value: string; end: number } {
  let value = '';
  let i = at + 1;
  while (i < s.length && s[i] !== '"') {
    if (s[i] === '\\' && i + 1 < s.length) i++;
    value += s[i];
    i++;
  }
  return { value, end: i + 1 };
}

/** Every challenge in a header value, in order; malformed trailing text is ignored. */
export function parseChallenges(header: string): AuthChallenge[] {
  const out: { scheme: string; params: Record<string, string> }[] = [];
  let current: { scheme: string; params: Record<string, string> } | undefined;
  let i = 0;
  while (i < header.length) {
    if (header[i] === ',' || header[i] === ' ' || header[i] === '\t') {
      i++;
      continue;
    }
    const tok = match(TOKEN, header, i);
    if (!tok) break;
    i += tok.length;
    i += match(SPACE, header, i)?.length ?? 0;
    if (header[i] === '=' && current) {
      i++;
      i += match(SPACE, header, i)?.length ?? 0;
      let value: string;
      if (header[i] === '"') {
        const q = quoted(header, i);
        value = q.value;
        i = q.end;
      } else {
        value = match(TOKEN, header, i) ?? '';
        i += value.length;
      }
      current.params[tok.toLowerCase()] = value;
    } else {
      current = { scheme: tok.toLowerCase(), params: {} };
      out.push(current);
    }
  }
  return out;
}

/** The challenge to answer: Bearer when offered (it carries the scope), else Basic, else the first. */
export function preferredChallenge(header: string | null | undefined): AuthChallenge | undefined {
  if (!header) return undefined;
  const all = parseChallenges(header);
  return all.find((c) => c.scheme === 'bearer' && c.params.realm) ?? all.find((c) => c.scheme === 'basic') ?? all[0];
}

/** The token-flow scope for `actions` on a repository (`repository:acme/app:pull,push`). */
export function repositoryScope(repo: string, actions: readonly string[]): string {
  return `repository:${repo}:${actions.join(',')}`;
}
