/** Tenant: an organisation using the platform, with a FIPS 199 sensitivity level. */
import { Type, type Static } from '@sinclair/typebox';
import type { Resource } from '../meta.js';

export const SENSITIVITY_LEVELS = ['low', 'moderate', 'high'] as const;
export type Sensitivity = (typeof SENSITIVITY_LEVELS)[number];

export const TenantSpecSchema = Type.Object(
  {
    displayName: Type.Optional(Type.String({ maxLength: 256 })),
    sensitivity: Type.Union(SENSITIVITY_LEVELS.map((s) => Type.Literal(s))),
    /** Zones the tenant's VMs may be placed in; all zones when absent. */
    zones: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    /** Limits on the tenant's clusters and on the vCPUs and memory of all its VMs; none when absent. */
    quotas: Type.Optional(
      Type.Object(
        {
          clusters: Type.Optional(Type.Integer({ minimum: 0 })),
          vcpus: Type.Optional(Type.Integer({ minimum: 0 })),
          memoryMiB: Type.Optional(Type.Integer({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type TenantSpec = Static<typeof TenantSpecSchema>;

export interface TenantStatus {
  readonly vms?: number;
}

export type Tenant = Resource<TenantSpec, TenantStatus>;
