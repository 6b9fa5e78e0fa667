/**
 * ReplicationPolicy: copies images between a local registry project and another OCI registry
 * (Harbor's replication rule). `push` sends the project's repositories to the remote, `pull`
 * brings remote repositories into the project; filters are doublestar globs; a policy runs by
 * hand, on every push to the project, or every N minutes. The last executions are its status.
 *
 * Remote credentials are best kept out of the spec: `credentials.secretRef` names a write-only
 * credential (PUT /registry/v1/replication-credentials/NAME), stored encrypted and never returned.
 * An inline `username` + `password` works too, but is readable by whoever may read the policy.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ValidationError, type FieldCause } from '../errors.js';
import { DNS_LABEL, type Resource } from '../meta.js';

export const REPLICATION_DIRECTIONS = ['push', 'pull'] as const;
export type ReplicationDirection = (typeof REPLICATION_DIRECTIONS)[number];

export const REPLICATION_TRIGGERS = ['manual', 'onPush', 'scheduled'] as const;
export type ReplicationTriggerType = (typeof REPLICATION_TRIGGERS)[number];

export const EXECUTION_STATES = ['Running', 'Succeeded', 'Failed', 'Stopped'] as const;
export type ExecutionState = (typeof EXECUTION_STATES)[number];

/** A doublestar glob (`*`, `**`, `?`, `{a,b}`), Harbor's filter syntax. */
const Pattern = Type.String({ minLength: 1, maxLength: 1024 });

export const ReplicationCredentialsSchema = Type.Object(
  {
    /** A credential stored with PUT /registry/v1/replication-credentials/NAME (write-only). */
    secretRef: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    /** Stored in the spec as given: prefer secretRef. */
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  },
  { additionalProperties: false },
);
export type ReplicationCredentials = Static<typeof ReplicationCredentialsSchema>;

export const ReplicationRemoteSchema = Type.Object(
  {
    /** Base URL of the registry (`https://registry.example.com`), without a path. */
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    /** Skip TLS verification and allow plain http to non-loopback hosts (docker's insecure-registries). */
    insecure: Type.Optional(Type.Boolean()),
    credentials: Type.Optional(ReplicationCredentialsSchema),
  },
  { additionalProperties: false },
);

export const ReplicationFiltersSchema = Type.Object(
  {
    /** Source repositories: the path inside the project (push) or the full remote name (pull). */
    repositories: Type.Optional(Pattern),
    excludeRepositories: Type.Optional(Pattern),
    tags: Type.Optional(Pattern),
    excludeTags: Type.Optional(Pattern),
  },
  { additionalProperties: false },
);
export type ReplicationFilters = Static<typeof ReplicationFiltersSchema>;

export const ReplicationTriggerSchema = Type.Object(
  {
    type: Type.Union(REPLICATION_TRIGGERS.map((t) => Type.Literal(t))),
    /** For `scheduled`: run every this many minutes of the platform clock. */
    everyMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 525600 })),
  },
  { additionalProperties: false },
);

export const ReplicationPolicySpecSchema = Type.Object(
  {
    direction: Type.Union(REPLICATION_DIRECTIONS.map((d) => Type.Literal(d))),
    /** The local registry project. */
    project: Type.String({ minLength: 1, maxLength: 63 }),
    remote: ReplicationRemoteSchema,
    /**
     * Where copies land: push → the remote repository prefix (default: the project's name);
     * pull → a path inside the local project (default: none, the remote name is kept).
     */
    destinationNamespace: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    filters: Type.Optional(ReplicationFiltersSchema),
    trigger: ReplicationTriggerSchema,
    /** Push + onPush only: delete on the remote what is deleted here. */
    deletion: Type.Optional(Type.Boolean()),
    /** Default true; a disabled policy never runs. */
    enabled: Type.Optional(Type.Boolean()),
    description: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);
export type ReplicationPolicySpec = Static<typeof ReplicationPolicySpecSchema>;

/** One artifact that could not be replicated, after every attempt. */
export interface ReplicationTaskError {
  /** `repo:tag`, `repo@digest` or a step (`list remote repositories`). */
  readonly artifact: string;
  readonly error: string;
  readonly attempts: number;
}

/** One run of a policy. */
export interface ReplicationExecution {
  readonly id: string;
  readonly trigger: ReplicationTriggerType;
  /** Who started it: a user for manual runs, `system:replication` otherwise. */
  readonly user: string;
  readonly state: ExecutionState;
  readonly startTime: string;
  readonly endTime?: string;
  /** Last progress write (a running execution with an old one was interrupted). */
  readonly updatedAt: string;
  /** Artifacts selected for this run. */
  readonly total: number;
  readonly copied: number;
  readonly skipped: number;
  readonly failed: number;
  readonly deleted: number;
  readonly message?: string;
  /** At most MAX_EXECUTION_ERRORS, the first ones. */
  readonly errors: readonly ReplicationTaskError[];
}

export interface ReplicationPolicyStatus {
  /** Newest first, at most MAX_EXECUTIONS. */
  readonly executions?: readonly ReplicationExecution[];
}

export type ReplicationPolicy = Resource<ReplicationPolicySpec, ReplicationPolicyStatus>;

export const MAX_EXECUTIONS = 10;
export const MAX_EXECUTION_ERRORS = 20;

const REPO_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function urlCauses(url: string, insecure: boolean | undefined): FieldCause[] {
  const field = 'spec.remote.url';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [{ field, message: `"${url}" is not a URL` }];
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return [{ field, message: `must be http:// or https://, got "${u.protocol}"` }];
  if (u.username || u.password) return [{ field, message: 'must not carry credentials; use spec.remote.credentials' }];
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return [{ field, message: 'must be the registry base URL, without a path, query or fragment (the API is under /v2/)' }];
  if (u.protocol === 'http:' && !insecure && !LOOPBACK.has(u.hostname) && !u.hostname.startsWith('127.'))
    return [{ field, message: 'plain http is only allowed to loopback addresses unless spec.remote.insecure is true' }];
  return [];
}

function credentialCauses(c: ReplicationCredentials | undefined): FieldCause[] {
  if (!c) return [];
  const f = 'spec.remote.credentials';
  if (c.secretRef !== undefined && (c.username !== undefined || c.password !== undefined))
    return [{ field: `${f}.secretRef`, message: 'give either secretRef or username and password, not both' }];
  if (c.secretRef !== undefined && !DNS_LABEL.test(c.secretRef)) return [{ field: `${f}.secretRef`, message: `"${c.secretRef}" is not a DNS label` }];
  if (c.username !== undefined && c.password === undefined) return [{ field: `${f}.password`, message: 'required with username' }];
  if (c.password !== undefined && c.username === undefined) return [{ field: `${f}.username`, message: 'required with password' }];
  if (c.secretRef === undefined && c.username === undefined) return [{ field: f, message: 'needs secretRef, or username and password' }];
  return [];
}

/**
 * The rules a schema cannot state (used as the kind's `defaultSpec`, which runs after schema
 * validation on every create and replace): throws a ValidationError naming each bad field.
 */
export function checkReplicationPolicySpec(spec: ReplicationPolicySpec): ReplicationPolicySpec {
  const causes: FieldCause[] = [];
  if (!DNS_LABEL.test(spec.project)) causes.push({ field: 'spec.project', message: `"${spec.project}" is not a project name (a DNS label)` });
  causes.push(...urlCauses(spec.remote.url, spec.remote.insecure), ...credentialCauses(spec.remote.credentials));
  const ns = spec.destinationNamespace;
  if (ns !== undefined && !ns.split('/').every((c) => REPO_COMPONENT.test(c)))
    causes.push({ field: 'spec.destinationNamespace', message: `"${ns}" is not a repository path: components of [a-z0-9] separated by '.', '_', '__' or '-', joined by '/'` });
  const t = spec.trigger;
  if (t.type === 'scheduled' && t.everyMinutes === undefined) causes.push({ field: 'spec.trigger.everyMinutes', message: 'required when trigger.type is "scheduled"' });
  if (t.type !== 'scheduled' && t.everyMinutes !== undefined) causes.push({ field: 'spec.trigger.everyMinutes', message: 'only valid when trigger.type is "scheduled"' });
  if (t.type === 'onPush' && spec.direction === 'pull') causes.push({ field: 'spec.trigger.type', message: 'onPush needs direction "push": a remote registry does not tell us about its pushes' });
  if (spec.deletion && (spec.direction !== 'push' || t.type !== 'onPush')) causes.push({ field: 'spec.deletion', message: 'only push policies with an onPush trigger replicate deletions' });
  if (causes.length) throw new ValidationError(causes, { kind: 'ReplicationPolicy' });
  return spec;
}
