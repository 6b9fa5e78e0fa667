/**
 * Alpine (apk) version ordering, apk-tools `apk-package(5)` as implemented by osv-scalibr:
 * `number{.number}…{letter}{_suffix{number}}…{~hash}{-r<N>}`. Compared in order: number
 * components (missing = 0; a non-first component with a leading zero compares as a string, apk's
 * decimal-fraction rule), the optional letter (none < any), suffixes by weight then number,
 * `-rN`; `~hash` is ignored; an invalid remainder sorts lower.
 */

const SUFFIX_WEIGHT: Readonly<Record<string, number>> = {
  alpha: 0,
  beta: 1,
  pre: 2,
  rc: 3,
  cvs: 5,
  svn: 6,
  git: 7,
  hg: 8,
  p: 9,
};
const NO_SUFFIX = 4;

interface Suffix {
  readonly weight: number;
  readonly num: bigint;
}

export interface AlpineVersion {
  readonly numbers: readonly string[];
  readonly letter: string;
  readonly suffixes: readonly Suffix[];
  readonly release: bigint;
  /** Unparsed trailing text ('' when the whole version parsed). */
  readonly invalid: string;
}

const HEAD_RE = /^(\d+(?:\.\d+)*)([a-z]?)/;
const SUFFIX_RE = /^_(alpha|beta|pre|rc|cvs|svn|git|hg|p)(\d*)/;
const HASH_RE = /^~[0-9a-f]+/;
const REL_RE = /^-r(\d+)/;

export function parseAlpine(v: string): AlpineVersion {
  let rest = v.trim();
  const head = HEAD_RE.exec(rest);
  if (!head) return { numbers: [], letter: '', suffixes: [], release: 0n, invalid: rest === '' ? '\0' : rest };
  const numbers = head[1]!.split('.');
  const letter = head[2] ?? '';
  rest = rest.slice(head[0].length);
  const suffixes: Suffix[] = [];
  for (let m = SUFFIX_RE.exec(rest); m; m = SUFFIX_RE.exec(rest)) {
    suffixes.push({ weight: SUFFIX_WEIGHT[m[1]!]!, num: m[2] ? BigInt(m[2]) : 0n });
    rest = rest.slice(m[0].length);
  }
  const hash = HASH_RE.exec(rest);
  if (hash) rest = rest.slice(hash[0].length);
  let release = 0n;
  const rel = REL_RE.exec(rest);
  if (rel) {
    release = BigInt(rel[1]!);
    rest = rest.slice(rel[0].length);
  }
  return { numbers, letter, suffixes, release, invalid: rest };
}

function cmp<T extends bigint | number | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNumber(a: string, b: string, first: boolean): number {
  if (!first && (a.startsWith('0') || b.startsWith('0'))) return cmp(a, b);
  return cmp(BigInt(a), BigInt(b));
}

export function compareAlpine(a: string, b: string): number {
  const va = parseAlpine(a);
  const vb = parseAlpine(b);
  const n = Math.max(va.numbers.length, vb.numbers.length);
  for (let i = 0; i < n; i++) {
    const c = compareNumber(va.numbers[i] ?? '0', vb.numbers[i] ?? '0', i === 0);
    if (c !== 0) return c;
  }
  const letter = cmp(va.letter, vb.letter);
  if (letter !== 0) return letter;
  const s = Math.max(va.suffixes.length, vb.suffixes.length);
  for (let i = 0; i < s; i++) {
    const sa = va.suffixes[i] ?? { weight: NO_SUFFIX, num: 0n };
    const sb = vb.suffixes[i] ?? { weight: NO_SUFFIX, num: 0n };
    const c = cmp(sa.weight, sb.weight) || cmp(sa.num, sb.num);
    if (c !== 0) return c;
  }
  const rel = cmp(va.release, vb.release);
  if (rel !== 0) return rel;
  if (va.invalid === vb.invalid) return 0;
  if (va.invalid === '') return 1;
  if (vb.invalid === '') return -1;
  return cmp(va.invalid, vb.invalid);
}
