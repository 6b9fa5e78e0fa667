/**
 * The seam replication copies through: one side of a copy, either this platform's registry
 * (LocalEndpoint: blob store + metadata, no HTTP) or another registry over OCI distribution
 * (RemoteEndpoint: OciClient). The copier only sees this interface, so push and pull are the same
 * code with the sides swapped. Both implementations pass endpoint.conformance.ts.
 */

/** A manifest's identity as a registry reports it. */
export interface ManifestRef {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
}

export interface FetchedManifest extends ManifestRef {
  /** The exact bytes (their digest is `digest`). */
  readonly bytes: Buffer;
}

export interface RegistryEndpoint {
  /** For messages: `local` or the remote's URL. */
  readonly name: string;
  /**
   * Repository names under `namespace` (a project here; a name prefix, or everything, remotely);
   * undefined when the registry cannot list repositories (no `/v2/_catalog`).
   */
  repositories(namespace?: string): Promise<string[] | undefined>;
  /** Tags of a repository, empty when the repository does not exist. */
  tags(repo: string): Promise<string[]>;
  /** The manifest a tag or digest resolves to, without its bytes; undefined when absent. */
  headManifest(repo: string, ref: string): Promise<ManifestRef | undefined>;
  /** The manifest with its bytes (verified against the digest when `ref` is one); undefined when absent. */
  getManifest(repo: string, ref: string): Promise<FetchedManifest | undefined>;
  /** Manifests whose `subject` is `digest` (OCI 1.1 referrers); undefined when unsupported. */
  referrers(repo: string, digest: string): Promise<ManifestRef[] | undefined>;
  hasBlob(repo: string, digest: string): Promise<boolean>;
  /** Streams a blob's bytes (not verified here: the copier verifies while it writes). */
  readBlob(repo: string, digest: string): Promise<AsyncIterable<Uint8Array>>;
  /**
   * Stores a blob of `size` bytes that must hash to `digest`. `open` is called once the
   * destination is ready to take bytes, so a source stream is never left open by a failed start.
   */
  writeBlob(repo: string, digest: string, size: number, open: () => Promise<AsyncIterable<Uint8Array>>): Promise<void>;
  /** Makes a blob already stored in `from` (same registry) visible in `repo`; false when it could not. */
  mountBlob(repo: string, digest: string, from: string): Promise<boolean>;
  /** Stores manifest bytes under a tag or their digest. */
  putManifest(repo: string, ref: string, bytes: Buffer, mediaType: string): Promise<void>;
  /** Deletes a manifest by digest, or a tag; false when it was not there. */
  deleteManifest(repo: string, ref: string): Promise<boolean>;
}
