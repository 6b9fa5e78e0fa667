/** What a retention run answers, keeps in its history and the CLI prints. */
import type { RunStatus } from '../gc/types.js';

export interface RetainedArtifact {
  readonly digest: string;
  readonly tags: readonly string[];
  /** Why it stays: the rules that keep it, or the index / subject it follows. */
  readonly reasons: readonly string[];
}

export interface DeletedArtifact {
  readonly digest: string;
  readonly tags: readonly string[];
  readonly role: string;
}

export interface RepositoryOutcome {
  readonly repository: string;
  readonly kept: readonly RetainedArtifact[];
  readonly deleted: readonly DeletedArtifact[];
}

export interface RetentionResult {
  readonly id: string;
  readonly project: string;
  readonly status: RunStatus;
  readonly error?: string;
  readonly user: string;
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  /** The rules as run, one line each. */
  readonly rules: readonly string[];
  readonly keptCount: number;
  readonly deletedCount: number;
  /** Repositories some rule matched, with what was kept and deleted in each. */
  readonly repositories: readonly RepositoryOutcome[];
  /** Repositories no rule matched: not touched. */
  readonly untouched: readonly string[];
}
