/**
 * A PEP 440 subset for PyPI: `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]` with the usual
 * normalisations (alpha/beta/c/pre/preview, `-`/`_`/`.` separators, implicit numbers, `-N` as a
 * post release, leading `v`). Ordering: epoch, release (trailing zeros ignored), then
 * dev-only < pre (a < b < rc) < final < post, and within each a `.devN` sorts first.
 * Unparseable text sorts below every version.
 */

export interface Pep440 {
  readonly epoch: bigint;
  readonly release: readonly bigint[];
  readonly pre?: { readonly phase: number; readonly n: bigint };
  readonly post?: bigint;
  readonly dev?: bigint;
  readonly local: string;
}

const RE =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|rc|c|pre|preview)[-_.]?(\d*))?(?:-(\d+)|[-_.]?(?:post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/;

const PHASE: Readonly<Record<string, number>> = { a: 0, alpha: 0, b: 1, beta: 1, rc: 2, c: 2, pre: 2, preview: 2 };

export function parsePep440(v: string): Pep440 | undefined {
  const m = RE.exec(v.trim().toLowerCase());
  if (!m) return undefined;
  const release = m[2]!.split('.').map((x) => BigInt(x));
  while (release.length > 1 && release[release.length - 1] === 0n) release.pop();
  const postText = m[5] ?? m[6];
  return {
    epoch: BigInt(m[1] ?? '0'),
    release,
    ...(m[3] !== undefined ? { pre: { phase: PHASE[m[3]]!, n: BigInt(m[4] || '0') } } : {}),
    ...(postText !== undefined ? { post: BigInt(postText || '0') } : {}),
    ...(m[7] !== undefined ? { dev: BigInt(m[7] || '0') } : {}),
    local: (m[8] ?? '').replace(/[-_]/g, '.'),
  };
}

function cmp<T extends bigint | number | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** [rank, n]: dev-only release -1, pre-release 0 (by phase), final 1. */
function preKey(v: Pep440): [number, number, bigint] {
  if (v.pre) return [0, v.pre.phase, v.pre.n];
  if (v.post === undefined && v.dev !== undefined) return [-1, 0, 0n];
  return [1, 0, 0n];
}

export function comparePep440Parsed(a: Pep440, b: Pep440): number {
  let c = cmp(a.epoch, b.epoch);
  if (c !== 0) return c;
  const n = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < n; i++) {
    c = cmp(a.release[i] ?? 0n, b.release[i] ?? 0n);
    if (c !== 0) return c;
  }
  const pa = preKey(a);
  const pb = preKey(b);
  c = cmp(pa[0], pb[0]) || cmp(pa[1], pb[1]) || cmp(pa[2], pb[2]);
  if (c !== 0) return c;
  if (a.post !== b.post) {
    if (a.post === undefined) return -1;
    if (b.post === undefined) return 1;
    return cmp(a.post, b.post);
  }
  if (a.dev !== b.dev) {
    if (a.dev === undefined) return 1;
    if (b.dev === undefined) return -1;
    return cmp(a.dev, b.dev);
  }
  if (a.local === b.local) return 0;
  if (a.local === '') return -1;
  if (b.local === '') return 1;
  return compareLocal(a.local, b.local);
}

function compareLocal(a: string, b: string): number {
  const xs = a.split('.');
  const ys = b.split('.');
  const n = Math.max(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    const y = ys[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    const c = xn && yn ? cmp(BigInt(x), BigInt(y)) || cmp(x, y) : xn ? 1 : yn ? -1 : cmp(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

export function comparePep440(a: string, b: string): number {
  const pa = parsePep440(a);
  const pb = parsePep440(b);
  if (pa && pb) return comparePep440Parsed(pa, pb);
  if (pa) return 1;
  if (pb) return -1;
  return cmp(a, b);
}
