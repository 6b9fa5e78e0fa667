/** Role and RoleBinding: RBAC rules (verbs x resources) bound to users or groups at a scope. */
import { Type, type Static } from '@sinclair/typebox';
import type { Resource } from '../meta.js';

export const VERBS = ['get', 'list', 'watch', 'create', 'update', 'delete', '*'] as const;
export type Verb = (typeof VERBS)[number];

export const PolicyRuleSchema = Type.Object(
  {
    verbs: Type.Array(Type.Union(VERBS.map((v) => Type.Literal(v))), { minItems: 1 }),
    /** Plural resource names, optionally with a subresource (`hosts/fault`), or `*`. */
    resources: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type PolicyRule = Static<typeof PolicyRuleSchema>;

export const RoleSpecSchema = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    rules: Type.Array(PolicyRuleSchema),
  },
  { additionalProperties: false },
);
export type RoleSpec = Static<typeof RoleSpecSchema>;
export type Role = Resource<RoleSpec>;

export const SubjectSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('User'), Type.Literal('Group')]),
    name: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type Subject = Static<typeof SubjectSchema>;

export const RoleBindingSpecSchema = Type.Object(
  {
    role: Type.String({ minLength: 1 }),
    subjects: Type.Array(SubjectSchema, { minItems: 1 }),
    /** Tenant scope: the rules apply only to that tenant's objects. Absent: platform scope. */
    tenant: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type RoleBindingSpec = Static<typeof RoleBindingSpecSchema>;
export type RoleBinding = Resource<RoleBindingSpec>;
