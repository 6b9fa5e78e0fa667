/**
 * Tenants are apart by construction: for every tenant the engine holds a built-in admin policy in
 * the platform tier at the last priority (10000) that passes traffic between the tenant's own pods
 * on to the tenants' NetworkPolicies and drops traffic to or from any other tenant's pods. It sits
 * above every tenant NetworkPolicy (a tenant cannot open itself to another), below every admin
 * platform policy of lower priority (an administrator can connect two tenants with an Allow, or
 * forbid more with a Drop), and it is added in the same atomic update as the tenant's first pod,
 * so no pod is ever reachable before its tenant's isolation is.
 *
 *   ingress to a pod of T:  from a pod of T ─ Pass (tenant policies decide) │ from any other pod ─ Drop
 *   egress from a pod of T: to a pod of T ─ Pass                           │ to any other pod ─ Drop
 *
 * Addresses that are no pod (outside every cluster) match neither rule: tenant policies decide.
 */
import { createHash } from 'node:crypto';
import { DNS_LABEL_MAX } from '../../api/index.js';
import { ADMIN_PRIORITY_MAX, type AdminPolicy } from '../policy/index.js';

/** Names of built-in policies start with this; the API refuses it for administrators' own. */
export const ISOLATION_PREFIX = 'tenant-isolation-';

/** The tier and priority the built-ins occupy; refused for administrators' platform policies. */
export const ISOLATION_TIER = 'platform';
export const ISOLATION_PRIORITY = ADMIN_PRIORITY_MAX;

export const ISOLATION_RULES = {
  sameTenantIngress: 'same-tenant-ingress',
  otherTenantsIngress: 'other-tenants-ingress',
  sameTenantEgress: 'same-tenant-egress',
  otherTenantsEgress: 'other-tenants-egress',
} as const;

/** The built-in policy's name for `tenant` (a DNS label: long names are shortened with a hash). */
export function isolationPolicyName(tenant: string): string {
  const name = `${ISOLATION_PREFIX}${tenant}`;
  if (name.length <= DNS_LABEL_MAX) return name;
  const hash = createHash('sha256').update(tenant).digest('hex').slice(0, 8);
  return `${name.slice(0, DNS_LABEL_MAX - 9).replace(/-+$/, '')}-${hash}`;
}

/** The built-in isolation policy of `tenant`. */
export function isolationPolicy(tenant: string): AdminPolicy {
  const own = [{ tenants: [tenant] }];
  const anyPod = [{}];
  return {
    name: isolationPolicyName(tenant),
    spec: {
      tier: ISOLATION_TIER,
      priority: ISOLATION_PRIORITY,
      description: `Built in: pods of tenant ${tenant} talk only to each other unless an administrator's platform policy says otherwise`,
      appliedTo: { tenants: [tenant] },
      rules: [
        { name: ISOLATION_RULES.sameTenantIngress, action: 'Pass', direction: 'Ingress', peers: own },
        { name: ISOLATION_RULES.otherTenantsIngress, action: 'Drop', direction: 'Ingress', peers: anyPod },
        { name: ISOLATION_RULES.sameTenantEgress, action: 'Pass', direction: 'Egress', peers: own },
        { name: ISOLATION_RULES.otherTenantsEgress, action: 'Drop', direction: 'Egress', peers: anyPod },
      ],
    },
  };
}
