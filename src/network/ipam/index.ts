/** IPAM: CIDR arithmetic, address and subnet pools, and the tenant → cluster/namespace → VM/pod plan. */
export * from './cidr.js';
export * from './errors.js';
export { Bitmap } from './bitmap.js';
export { AddressPool, type AddressPoolOptions, type AddressPoolState, type AddressRequest } from './address-pool.js';
export { SubnetPool, EXCLUDED_OWNER, type SubnetPoolOptions, type SubnetPoolState, type SubnetRequest } from './subnet-pool.js';
export { compileIpamConfig, DEFAULT_IPAM_CONFIG, KUBEADM_SERVICE_CIDR, MAX_SEGMENT_PREFIX, type IpamConfig } from './config.js';
export {
  Ipam,
  type AddressAssignment,
  type AddressLookup,
  type BlockRequest,
  type IpamState,
  type IpRequest,
  type ReleaseOptions,
  type SegmentAssignment,
} from './ipam.js';
