/**
 * The network capability's door: the extension, and the pure pieces other folders use at their
 * edges (the workload routes validate NetworkPolicies and Services with them and allocate
 * ClusterIPs through them).
 */
export { networkExtension } from './extension.js';
export { addNetworkControllers, type NetworkControllers, type NetworkControllerContext } from './controllers/wiring.js';
export { NetworkState, DEFAULT_NETWORK_CONFIG, DEFAULT_VIP_POOL, type NetworkConfig } from './controllers/network-state.js';
export { createWithClusterIp, deleteWithClusterIp, IP_ADDRESS_KIND } from './controllers/cluster-ips.js';
export { subnetAnnotationCauses, subnetConflictCauses } from './controllers/subnet-request.js';
export { isolationPolicy, isolationPolicyName, ISOLATION_PREFIX } from './controllers/tenant-isolation.js';
export { DataPath } from './datapath/datapath.js';
export type { FlowRequest, FlowResult, Hop, HopPod, Verdict } from './datapath/flow.js';
export type { Traceflow } from './traceflow/traceflow.js';
export type { TraceflowSpec } from './traceflow/request.js';
export type { MatrixTable } from './routes/matrix-route.js';
export { validateNetworkPolicy } from './policy/index.js';
export { compileService, DEFAULT_SERVICE_CIDR, type ServiceSpecInput } from './services/index.js';
export { DEFAULT_IPAM_CONFIG } from './ipam/index.js';
export * from './types.js';
