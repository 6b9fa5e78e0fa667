/**
 * Word-parallel bitsets over pod slots: the engine's membership sets (which pods a selector, peer or
 * group matches) and the rows of the connectivity matrix. Slots beyond a set's length read as 0, so
 * sets grown lazily stay correct.
 */

export type Bits = Uint32Array;

/** 32-bit words needed for `n` slots. */
export function wordsFor(n: number): number {
  return (n + 31) >>> 5;
}

export function hasBit(b: Bits, i: number): boolean {
  return (((b[i >>> 5] ?? 0) >>> (i & 31)) & 1) === 1;
}

export function setBit(b: Bits, i: number): void {
  b[i >>> 5] = (b[i >>> 5] ?? 0) | (1 << (i & 31));
}

export function clearBit(b: Bits, i: number): void {
  b[i >>> 5] = (b[i >>> 5] ?? 0) & ~(1 << (i & 31));
}

/** A copy of `b` with `words` words (zero-extended or truncated). */
export function resized(b: Bits, words: number): Bits {
  const out = new Uint32Array(words);
  out.set(b.length <= words ? b : b.subarray(0, words));
  return out;
}

/** dst |= src (over dst's length). */
export function orInto(dst: Bits, src: Bits): void {
  const n = Math.min(dst.length, src.length);
  for (let i = 0; i < n; i++) dst[i] = dst[i]! | src[i]!;
}

/** dst = a & b (over dst's length; missing words are 0). */
export function andTo(dst: Bits, a: Bits, b: Bits): void {
  const n = Math.min(dst.length, a.length, b.length);
  for (let i = 0; i < n; i++) dst[i] = a[i]! & b[i]!;
  dst.fill(0, n);
}

/** dst &= ~src. */
export function andNotInto(dst: Bits, src: Bits): void {
  const n = Math.min(dst.length, src.length);
  for (let i = 0; i < n; i++) dst[i] = dst[i]! & ~src[i]!;
}

/** True when no bit is set. */
export function isEmpty(b: Bits): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/** Calls `fn` for every set bit, ascending. */
export function forEachBit(b: Bits, fn: (i: number) => void): void {
  for (let w = 0; w < b.length; w++) {
    let word = b[w]!;
    while (word !== 0) {
      const low = word & -word;
      fn((w << 5) + 31 - Math.clz32(low));
      word ^= low;
    }
  }
}

/** Number of set bits. */
export function popcount(b: Bits): number {
  let n = 0;
  for (let w = 0; w < b.length; w++) {
    let v = b[w]!;
    v = v - ((v >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return n;
}

/**
 * Transposes a 32x32 bit block in place: afterwards bit k of a[i] is what bit i of a[k] was.
 * (Hacker's Delight 7-3, with bit 0 as column 0.)
 */
export function transpose32(a: Uint32Array): void {
  let m = 0x0000ffff;
  for (let j = 16; j !== 0; j >>>= 1, m = (m ^ (m << j)) >>> 0) {
    for (let k = 0; k < 32; k = (k + j + 1) & ~j) {
      const t = (((a[k]! >>> j) ^ a[k + j]!) & m) >>> 0;
      a[k] = a[k]! ^ (t << j);
      a[k + j] = a[k + j]! ^ t;
    }
  }
}
