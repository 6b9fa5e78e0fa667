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

export const ProjectSpecSchema = Type.Object(
  {
    tenant: Type.String({ minLength: 1 }),
    public: Type.Optional(Type.Boolean()),
    quota: Type.Optional(ProjectQuotaSchema),
    members: Type.Optional(Type.Array(ProjectMemberSchema)),
    description: Type.Optional(Type.String({ maxLength: 256 })),
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
