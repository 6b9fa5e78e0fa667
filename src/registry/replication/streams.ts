/**
 * Byte streams between registries without holding a layer in memory: a pass-through that hashes
 * (and fails on a wrong digest or size at the end), and a reader that hands out consecutive
 * fixed-size slices of one stream, each a stream of its own, for chunked uploads.
 */
import { createHash } from 'node:crypto';
import { DigestMismatchError, ReplicationError } from './errors.js';

/**
 * Yields `source` unchanged while hashing it; throws DigestMismatchError after the last byte when
 * the content is not `digest`, or a ReplicationError when it is not `size` bytes long.
 */
export async function* verified(source: AsyncIterable<Uint8Array>, digest: string, size: number): AsyncGenerator<Uint8Array> {
  const [alg, hex] = digest.split(':') as [string, string];
  const h = createHash(alg);
  let n = 0;
  for await (const piece of source) {
    n += piece.byteLength;
    if (n > size) throw new ReplicationError(`blob ${digest} is longer than its descriptor's ${size} bytes`, false);
    h.update(piece);
    yield piece;
  }
  if (n !== size) throw new ReplicationError(`blob ${digest} ended after ${n} of ${size} bytes`, true);
  const got = h.digest('hex');
  if (got !== hex) throw new DigestMismatchError(digest, `${alg}:${got}`);
}

/** Consecutive slices of one stream: `take(n)` yields the next n bytes (fewer at the end). */
export class SliceReader {
  private leftover: Uint8Array | undefined;
  private readonly it: AsyncIterator<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.it = source[Symbol.asyncIterator]();
  }

  async *take(n: number): AsyncGenerator<Uint8Array> {
    let remaining = n;
    while (remaining > 0) {
      let piece = this.leftover;
      this.leftover = undefined;
      if (!piece) {
        const r = await this.it.next();
        if (r.done) return;
        piece = r.value;
      }
      if (piece.byteLength > remaining) {
        this.leftover = piece.subarray(remaining);
        piece = piece.subarray(0, remaining);
      }
      remaining -= piece.byteLength;
      yield piece;
    }
  }

  /** Reads to the end (so the verification at the end of the source runs) and fails on extra bytes. */
  async finish(): Promise<void> {
    if (this.leftover && this.leftover.byteLength > 0) throw new ReplicationError('blob is longer than announced', false);
    for (;;) {
      const r = await this.it.next();
      if (r.done) return;
      if (r.value.byteLength > 0) throw new ReplicationError('blob is longer than announced', false);
    }
  }

  /** Stops the source (on failure, so the socket it reads from is released). */
  async close(): Promise<void> {
    await this.it.return?.();
  }
}

/** A web stream of an async iterable (what fetch takes as a streamed request body). */
export function toWebStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  return ReadableStream.from(source) as ReadableStream<Uint8Array>;
}
