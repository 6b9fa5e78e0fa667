/**
 * What happened in the registry, for the features that react to it (replication on push, signature
 * bookkeeping). Emitted after the change has committed; listeners must not throw and must not
 * block the request (start background work and return).
 */
import { EventEmitter } from 'node:events';
import type { RepoName } from './names.js';

export interface ManifestPushed {
  readonly repo: RepoName;
  readonly digest: string;
  readonly mediaType: string;
  /** The tag pushed, when the PUT was by tag. */
  readonly tag?: string;
  /** The manifest's `subject` (a signature, SBOM or other referrer). */
  readonly subject?: string;
  readonly user: string;
  readonly tenant?: string;
}

export interface ManifestDeleted {
  readonly repo: RepoName;
  /** A digest, or a tag when only the tag was deleted. */
  readonly reference: string;
  readonly user: string;
}

interface EventMap {
  pushed: [ManifestPushed];
  deleted: [ManifestDeleted];
}

export class RegistryEvents extends EventEmitter<EventMap> {}
