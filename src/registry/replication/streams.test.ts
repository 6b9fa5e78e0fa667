// Streaming helpers: slices of one stream add up to it whatever the source's piece sizes, and the
// verifying pass-through rejects content of the wrong digest or length only after passing it on.
import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestMismatchError, ReplicationError } from './errors.js';
import { SliceReader, verified } from './streams.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function* pieces(b: Buffer, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < b.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length] ?? 1);
    yield b.subarray(at, at + n);
    at += n;
  }
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const p of it) out.push(Buffer.from(p));
  return Buffer.concat(out);
}

describe('SliceReader', () => {
  it('hands out consecutive slices of exactly the asked size that concatenate to the source', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 5000 }), fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 2000 }), async (len, sizes, chunk) => {
        const data = randomBytes(len);
        const r = new SliceReader(pieces(data, sizes));
        const slices: Buffer[] = [];
        for (let off = 0; off < len; off += chunk) slices.push(await collect(r.take(Math.min(chunk, len - off))));
        await r.finish();
        expect(slices.every((s, i) => s.length === Math.min(chunk, len - i * chunk))).toBe(true);
        expect(Buffer.concat(slices).equals(data)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('finish() fails when the source has more bytes than were taken', async () => {
    const r = new SliceReader(pieces(randomBytes(10), [4]));
    await collect(r.take(8));
    await expect(r.finish()).rejects.toBeInstanceOf(ReplicationError);
  });
});

describe('verified', () => {
  const data = randomBytes(3000);
  it('passes content of the right digest and size through unchanged', async () => {
    expect((await collect(verified(pieces(data, [512]), sha(data), data.length))).equals(data)).toBe(true);
  });
  it('fails on another digest, after the last byte', async () => {
    const other = sha(Buffer.from('other'));
    let seen = 0;
    const run = async () => {
      for await (const p of verified(pieces(data, [512]), other, data.length)) seen += p.byteLength;
    };
    await expect(run()).rejects.toBeInstanceOf(DigestMismatchError);
    expect(seen).toBe(data.length);
  });
  it('fails on a short or long body', async () => {
    await expect(collect(verified(pieces(data, [512]), sha(data), data.length + 1))).rejects.toThrow(/ended after 3000 of 3001 bytes/);
    await expect(collect(verified(pieces(data, [512]), sha(data), data.length - 1))).rejects.toThrow(/longer than/);
  });
});
