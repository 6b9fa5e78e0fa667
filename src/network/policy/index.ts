/**
 * The network policy engine's one door: schemas and validation for tenant NetworkPolicies and
 * admin policies, `compile` to an engine that decides flows with explanations and takes atomic
 * incremental updates, and the connectivity matrix with its upstream-style formatter.
 */
export {
  LABEL_SELECTOR_OPERATORS,
  LabelSelectorSchema,
  LabelSelectorRequirementSchema,
  type LabelSelector,
  type LabelSelectorOperator,
  type Labels,
} from './label-selector.js';
export {
  POLICY_TYPES,
  IPBlockSchema,
  NetworkPolicyPeerSchema,
  NetworkPolicyPortSchema,
  NetworkPolicyIngressRuleSchema,
  NetworkPolicyEgressRuleSchema,
  NetworkPolicySpecSchema,
  effectivePolicyTypes,
  type PolicyType,
  type NetworkPolicy,
  type NetworkPolicyRef,
  type NetworkPolicySpec,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type NetworkPolicyIngressRule,
  type NetworkPolicyEgressRule,
} from './network-policy-schema.js';
export {
  ADMIN_TIERS,
  ADMIN_ACTIONS,
  DIRECTIONS,
  ADMIN_PRIORITY_MIN,
  ADMIN_PRIORITY_MAX,
  GroupSpecSchema,
  GroupSelectorSchema,
  AdminRuleSchema,
  AdminPolicySpecSchema,
  type AdminTier,
  type AdminAction,
  type Direction,
  type GroupSpec,
  type GroupSelector,
  type AdminRule,
  type AdminPolicySpec,
  type AdminPolicy,
  type AdminGroup,
} from './admin-policy-schema.js';
export { validateNetworkPolicy, assertNetworkPolicy } from './validate-network-policy.js';
export { validateAdminPolicy, validateAdminGroup, assertAdminPolicy, assertAdminGroup, adminPolicyWarnings, type GroupsByName } from './validate-admin-policy.js';
export { type PolicyChange, type NamespaceInfo, type NamespaceRef, type PodRef } from './changes.js';
export { PolicyEngine, compile, type PolicyInput, type EngineStats } from './engine.js';
export { type Reachability } from './reachability.js';
export { matrix, formatMatrix, matrixSummary, type ConnectivityMatrix } from './matrix.js';
export { NAMESPACE_NAME_LABEL } from './pod-record.js';
