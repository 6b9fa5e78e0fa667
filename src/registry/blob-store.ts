/**
 * The blob store seam: content-addressed bytes, written only through a verified commit. Blobs are
 * immutable and shared by every repository; which repository may see a blob is metadata (links in
 * the store), so garbage collection can later mark from links and sweep files.
 */
import type { Readable } from 'node:stream';
import type { DigestAlgorithm } from './names.js';

export interface BlobInfo {
  readonly digest: string;
  readonly size: number;
}

/** An in-progress upload: bytes appended in order, hashed as they arrive. */
export interface UploadState {
  readonly id: string;
  readonly repo: string;
  /** Bytes received so far. */
  readonly offset: number;
  readonly startedAt: string;
}

export interface BlobStore {
  /** Size of a committed blob, or undefined. */
  stat(digest: string): Promise<BlobInfo | undefined>;
  /** Reads a committed blob (inclusive byte range when given; pass one when the size is known, it sizes the buffers). */
  read(digest: string, range?: { start: number; end: number }): Readable;
  /** Stores small content (a manifest) under its digest; idempotent. */
  putBytes(digest: string, bytes: Buffer): Promise<void>;
  /** Reads a committed blob whole (manifests). The buffer may be shared (cached): never mutate it. */
  readBytes(digest: string): Promise<Buffer>;
  /** Removes a blob file (garbage collection only). */
  remove(digest: string): Promise<void>;

  startUpload(repo: string, alg: DigestAlgorithm): Promise<UploadState>;
  upload(id: string): Promise<UploadState | undefined>;
  /**
   * Appends `body` at `expectOffset` (the upload's current size). Throws OciError 416 when it is
   * not; on a failed or short body the upload is rolled back to where it was.
   */
  append(id: string, body: Readable, expectOffset?: number, expectLength?: number): Promise<UploadState>;
  /**
   * Verifies the whole upload against `digest` and moves it into place (fsync + rename). The upload
   * is gone afterwards, whether it matched (committed) or not (DIGEST_INVALID).
   */
  commit(id: string, digest: string): Promise<BlobInfo>;
  cancel(id: string): Promise<void>;
}
