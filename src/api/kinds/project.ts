/**
 * Project: a registry namespace owned by a tenant (Harbor's project). Public projects may be pulled
 * by anyone; members get Harbor's roles; quotas bound storage (each blob counted once) and artifacts.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Resource } from '../meta.js';

/** Harbor's project roles, strongest first. */
export const PROJECT_ROLES = ['projectAdmin', 'maintainer', 'developer', 'guest', 'limitedGuest'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

export function isProjectRole(s: string): s is ProjectRole {
  return (PROJECT_ROLES as readonly string[]).includes(s);
}

export const ProjectMemberSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('User'), Type.Literal('Group')]),
    name: Type.String({ minLength: 1 }),
    role: Type.Union(PROJECT_ROLES.map((r) => Type.Literal(r))),
  },
  { additionalProperties: false },
);
export type ProjectMember = Static<typeof ProjectMemberSchema>;

export const ProjectQuotaSchema = Type.Object(
  {
    /** Bytes of distinct blobs and manifests in the project; unlimited when absent. */
    storageBytes: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Number of manifests (images, indexes, artifacts); unlimited when absent. */
    artifacts: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type ProjectQuota = Static<typeof ProjectQuotaSchema>;

/** Severities in increasing order (OSV/CVSS qualitative ratings; Harbor's `severity` threshold). */
export const POLICY_SEVERITIES = ['Low', 'Medium', 'High', 'Critical'] as const;
export type PolicySeverity = (typeof POLICY_SEVERITIES)[number];

/** Repository and tag patterns are doublestar globs (`*`, `**`, `?`, `{a,b}`), Harbor's filter syntax. */
const Pattern = Type.String({ minLength: 1, maxLength: 256 });

export const ProjectPolicySchema = Type.Object(
  {
    /** Refuse to run (admit pods of) images with a finding at or above this severity, or unscanned. */
    preventVulnerable: Type.Optional(
      Type.Object({ severity: Type.Union(POLICY_SEVERITIES.map((s) => Type.Literal(s))) }, { additionalProperties: false }),
    ),
    /** Refuse to run images without a signature that verifies against one of `trustedKeys`. */
    requireSignature: Type.Optional(Type.Boolean()),
    /** Advisory ids (CVE-…, GHSA-…, DSA-…) ignored by `preventVulnerable`. */
    cveAllowlist: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 1000 })),
  },
  { additionalProperties: false },
);
export type ProjectPolicy = Static<typeof ProjectPolicySchema>;

/** A public key that signatures in this project are verified against (cosign: ECDSA P-256, PEM). */
export const TrustedKeySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 63 }),
    publicKey: Type.String({ minLength: 1, maxLength: 8192 }),
  },
  { additionalProperties: false },
);
export type TrustedKey = Static<typeof TrustedKeySchema>;

/** Tags matching a rule cannot be re-pushed onto another digest, and their artifact cannot be deleted. */
export const ImmutableTagRuleSchema = Type.Object(
  {
    repositories: Type.Optional(Pattern),
    excludeRepositories: Type.Optional(Pattern),
    tags: Pattern,
    excludeTags: Type.Optional(Pattern),
  },
  { additionalProperties: false },
);
export type ImmutableTagRule = Static<typeof ImmutableTagRuleSchema>;

/**
 * A retention rule (Harbor's): in each repository matching `repositories`, among artifacts with a
 * tag matching `tags` (and untagged ones when `includeUntagged`), keep those selected by exactly one
 * of `latestPushed` (the N most recently pushed), `pushedWithinDays` or `always`. Rules are
 * OR-combined; an artifact is kept whole if any rule keeps it; the rest is deleted.
 */
export const RetentionRuleSchema = Type.Object(
  {
    repositories: Type.Optional(Pattern),
    excludeRepositories: Type.Optional(Pattern),
    tags: Type.Optional(Pattern),
    excludeTags: Type.Optional(Pattern),
    includeUntagged: Type.Optional(Type.Boolean()),
    latestPushed: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    pushedWithinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 36500 })),
    always: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type RetentionRule = Static<typeof RetentionRuleSchema>;

export const RetentionPolicySchema = Type.Object(
  {
    rules: Type.Array(RetentionRuleSchema, { minItems: 1, maxItems: 15 }),
    /** Run automatically every this many minutes (platform clock); only by hand when absent. */
    everyMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 525600 })),
  },
  { additionalProperties: false },
);
export type RetentionPolicy = Static<typeof RetentionPolicySchema>;

export const ProjectSpecSchema = Type.Object(
  {
    tenant: Type.String({ minLength: 1 }),
    public: Type.Optional(Type.Boolean()),
    quota: Type.Optional(ProjectQuotaSchema),
    members: Type.Optional(Type.Array(ProjectMemberSchema)),
    description: Type.Optional(Type.String({ maxLength: 256 })),
    /** Deploy-time policy: what pods may run from this project. */
    policy: Type.Optional(ProjectPolicySchema),
    trustedKeys: Type.Optional(Type.Array(TrustedKeySchema, { maxItems: 32 })),
    immutableTags: Type.Optional(Type.Array(ImmutableTagRuleSchema, { maxItems: 15 })),
    retention: Type.Optional(RetentionPolicySchema),
  },
  { additionalProperties: false },
);
export type ProjectSpec = Static<typeof ProjectSpecSchema>;

export interface ProjectUsage {
  readonly storageBytes: number;
  readonly artifacts: number;
}

export interface ProjectStatus {
  /** Written by the registry in the same transaction as the push or delete that changes it. */
  readonly usage?: ProjectUsage;
}

export type Project = Resource<ProjectSpec, ProjectStatus>;
