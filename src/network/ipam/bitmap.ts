/**
 * A fixed-size bit set with a wrapping "next clear bit" search: the allocation map of one address
 * pool (one bit per address, as Kubernetes' ClusterIP allocator and Docker's IPAM keep theirs).
 * A /16 is 8 KiB; the search skips full 32-bit words, so a nearly full pool stays fast.
 */
export class Bitmap {
  private readonly words: Uint32Array;
  private used = 0;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`bitmap size must be a non-negative integer, got ${size}`);
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  /** Number of set bits. */
  get count(): number {
    return this.used;
  }

  has(i: number): boolean {
    this.check(i);
    return ((this.words[i >>> 5] as number) & (1 << (i & 31))) !== 0;
  }

  /** Sets bit `i`; returns false when it was already set. */
  set(i: number): boolean {
    if (this.has(i)) return false;
    this.words[i >>> 5] = (this.words[i >>> 5] as number) | (1 << (i & 31));
    this.used++;
    return true;
  }

  /** Clears bit `i`; returns false when it was already clear. */
  clear(i: number): boolean {
    if (!this.has(i)) return false;
    this.words[i >>> 5] = (this.words[i >>> 5] as number) & ~(1 << (i & 31));
    this.used--;
    return true;
  }

  /** The first clear bit at or after `from`, wrapping past the end once; -1 when every bit is set. */
  nextClear(from: number): number {
    if (this.used >= this.size) return -1;
    const start = this.size === 0 ? 0 : ((from % this.size) + this.size) % this.size;
    const found = this.scan(start, this.size);
    return found >= 0 ? found : this.scan(0, start);
  }

  /** First clear bit in [from, to), or -1. */
  private scan(from: number, to: number): number {
    let i = from;
    while (i < to) {
      const word = this.words[i >>> 5] as number;
      if (word === 0xffffffff && (i & 31) === 0) {
        i += 32;
        continue;
      }
      if ((word & (1 << (i & 31))) === 0) return i;
      i++;
    }
    return -1;
  }

  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) throw new RangeError(`bit ${i} is outside a bitmap of ${this.size}`);
  }
}
