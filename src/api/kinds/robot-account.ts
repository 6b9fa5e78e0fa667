/**
 * RobotAccount: a non-human credential for one project (Harbor's project robot), with exactly the
 * listed permissions until it expires. The secret is shown once at creation; the store keeps a hash.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Resource } from '../meta.js';

export const ROBOT_PERMISSIONS = ['pull', 'push', 'delete'] as const;
export type RobotPermission = (typeof ROBOT_PERMISSIONS)[number];

export const RobotAccountSpecSchema = Type.Object(
  {
    project: Type.String({ minLength: 1 }),
    permissions: Type.Array(Type.Union(ROBOT_PERMISSIONS.map((p) => Type.Literal(p))), { minItems: 1 }),
    /** RFC 3339; absent means it does not expire. */
    expiresAt: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' })),
    description: Type.Optional(Type.String({ maxLength: 256 })),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type RobotAccountSpec = Static<typeof RobotAccountSpecSchema>;

/** The user name a robot logs in with (`docker login -u 'robot$ci'`). */
export const ROBOT_USER_PREFIX = 'robot$';

/** Robots belong to the tenant of their project; the kind table stamps it as a label at creation. */
export const ROBOT_TENANT_LABEL = 'bulkhead.dev/tenant';

export type RobotAccount = Resource<RobotAccountSpec>;
