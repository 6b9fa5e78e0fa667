/**
 * Kubernetes label selectors: parse the string form (`app=web,tier!=db,env in (a,b),!legacy`) once
 * at the edge into LabelRequirement[], then match objects' labels against it.
 */
import { ValidationError } from '../api/index.js';
import type { LabelRequirement } from './store.js';

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const WORD_CHAR = /[A-Za-z0-9._/-]/;

type Token =
  | { readonly t: 'word'; readonly v: string; readonly pos: number }
  | { readonly t: '!' | '=' | '==' | '!=' | '(' | ')' | ','; readonly pos: number }
  | { readonly t: 'end'; readonly pos: number };

function fail(message: string): never {
  throw ValidationError.field('labelSelector', message);
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s.charAt(i);
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '!' && s.charAt(i + 1) === '=') {
      out.push({ t: '!=', pos: i });
      i += 2;
    } else if (c === '=' && s.charAt(i + 1) === '=') {
      out.push({ t: '==', pos: i });
      i += 2;
    } else if (c === '!' || c === '=' || c === '(' || c === ')' || c === ',') {
      out.push({ t: c, pos: i });
      i++;
    } else if (WORD_CHAR.test(c)) {
      const start = i;
      while (i < s.length && WORD_CHAR.test(s.charAt(i))) i++;
      out.push({ t: 'word', v: s.slice(start, i), pos: start });
    } else {
      fail(`unexpected character ${JSON.stringify(c)} at position ${i}`);
    }
  }
  out.push({ t: 'end', pos: s.length });
  return out;
}

function checkKey(key: string): string {
  const slash = key.indexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) fail(`invalid label key prefix in ${JSON.stringify(key)}`);
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) fail(`invalid label key ${JSON.stringify(key)}`);
  return key;
}

function checkValue(value: string): string {
  if (value.length > 63 || (value.length > 0 && !NAME.test(value))) fail(`invalid label value ${JSON.stringify(value)}`);
  return value;
}

/** Parses a selector string; '' selects everything. Throws ValidationError on field `labelSelector`. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const toks = tokenize(selector);
  let i = 0;
  const peek = (): Token => toks[i] ?? { t: 'end', pos: selector.length };
  const next = (): Token => {
    const tok = peek();
    i++;
    return tok;
  };
  const word = (what: string): string => {
    const tok = next();
    if (tok.t !== 'word') fail(`expected ${what} at position ${tok.pos}`);
    return tok.v;
  };
  const valueSet = (): string[] => {
    if (next().t !== '(') fail(`expected "(" at position ${toks[i - 1]?.pos ?? 0}`);
    if (peek().t === ')') fail(`the value set of "in"/"notin" cannot be empty (position ${peek().pos})`);
    const values: string[] = [];
    for (;;) {
      const tok = peek();
      if (tok.t === 'word') {
        values.push(checkValue(tok.v));
        i++;
      } else if (tok.t === ',' || tok.t === ')') {
        values.push(''); // empty value between separators, e.g. `a in (,x)`
      } else {
        fail(`expected a value at position ${tok.pos}`);
      }
      const sep = next();
      if (sep.t === ')') break;
      if (sep.t !== ',') fail(`expected "," or ")" at position ${sep.pos}`);
    }
    return values;
  };

  const reqs: LabelRequirement[] = [];
  if (peek().t === 'end') return reqs;
  for (;;) {
    const tok = peek();
    if (tok.t === '!') {
      i++;
      reqs.push({ key: checkKey(word('a label key')), op: '!' });
    } else {
      const key = checkKey(word('a label key'));
      const op = peek();
      if (op.t === '=' || op.t === '==' || op.t === '!=') {
        i++;
        const v = peek();
        const value = v.t === 'word' ? (i++, checkValue(v.v)) : '';
        reqs.push(op.t === '!=' ? { key, op: '!=', value } : { key, op: '=', value });
      } else if (op.t === 'word' && (op.v === 'in' || op.v === 'notin')) {
        i++;
        reqs.push({ key, op: op.v, values: valueSet() });
      } else if (op.t === ',' || op.t === 'end') {
        reqs.push({ key, op: 'exists' });
      } else {
        fail(`expected an operator after ${JSON.stringify(key)} at position ${op.pos}`);
      }
    }
    const sep = next();
    if (sep.t === 'end') return reqs;
    if (sep.t !== ',') fail(`expected "," at position ${sep.pos}`);
  }
}

/** The parsed form of a selector given either way (undefined selects everything). */
export function toRequirements(selector: string | readonly LabelRequirement[] | undefined): readonly LabelRequirement[] {
  if (selector === undefined) return [];
  return typeof selector === 'string' ? parseLabelSelector(selector) : selector;
}

/** True when `labels` satisfies every requirement (Kubernetes: `!=` and `notin` match an absent key). */
export function matchesSelector(labels: Readonly<Record<string, string>> | undefined, reqs: readonly LabelRequirement[]): boolean {
  for (const r of reqs) {
    const has = labels !== undefined && Object.hasOwn(labels, r.key);
    const v = has ? labels[r.key] : undefined;
    switch (r.op) {
      case '=':
        if (v !== r.value) return false;
        break;
      case '!=':
        if (v === r.value) return false;
        break;
      case 'in':
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
    }
  }
  return true;
}
