/**
 * The platform's addressing plan: one pool, a block per tenant, a segment per cluster and a
 * subnet per namespace. Validated once into an `IpamConfig`; the Ipam trusts it afterwards.
 */
import { ValidationError, type FieldCause } from '../../api/index.js';
import { cidrContainsCidr, formatCidr, tryParseCidr } from './cidr.js';

export interface IpamConfig {
  /** The platform pool every tenant block comes from. */
  readonly platformPool: string;
  /** Size of a tenant's block (12 → a /12, 1 Mi addresses). */
  readonly tenantBlockPrefix: number;
  /** Size of a cluster's node segment (VM addresses). */
  readonly nodeSegmentPrefix: number;
  /** Size of a namespace's pod subnet. */
  readonly namespaceSubnetPrefix: number;
  /** Blocks inside the platform pool never given to a tenant. */
  readonly excluded: readonly string[];
}

/** kubeadm's default service CIDR: ClusterIPs are virtual and must never equal a routable pod or VM address. */
export const KUBEADM_SERVICE_CIDR = '10.96.0.0/12';

/** 10.0.0.0/8 in /12 tenant blocks (15 tenants once the service CIDR is carved out), /24 segments and subnets. */
export const DEFAULT_IPAM_CONFIG: IpamConfig = Object.freeze({
  platformPool: '10.0.0.0/8',
  tenantBlockPrefix: 12,
  nodeSegmentPrefix: 24,
  namespaceSubnetPrefix: 24,
  excluded: Object.freeze([KUBEADM_SERVICE_CIDR]),
});

/** The largest prefix a segment may have: network, gateway, one host, broadcast. */
export const MAX_SEGMENT_PREFIX = 30;

/** Fills defaults and checks the plan; a ValidationError names every bad field. */
export function compileIpamConfig(input: Partial<IpamConfig> = {}): IpamConfig {
  // An explicit `undefined` means "use the default", not "unset".
  const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<IpamConfig>;
  const c = { ...DEFAULT_IPAM_CONFIG, ...given };
  const causes: FieldCause[] = [];
  const pool = tryParseCidr(c.platformPool);
  if (!pool) causes.push({ field: 'platformPool', message: `"${c.platformPool}" is not a CIDR with host bits clear (e.g. 10.0.0.0/8)` });
  const prefixIn = (field: keyof IpamConfig, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) causes.push({ field, message: `want an integer from ${min} to ${max}, got ${value}` });
  };
  prefixIn('tenantBlockPrefix', c.tenantBlockPrefix, pool?.prefix ?? 0, MAX_SEGMENT_PREFIX);
  prefixIn('nodeSegmentPrefix', c.nodeSegmentPrefix, c.tenantBlockPrefix, MAX_SEGMENT_PREFIX);
  prefixIn('namespaceSubnetPrefix', c.namespaceSubnetPrefix, c.tenantBlockPrefix, MAX_SEGMENT_PREFIX);
  const excluded = c.excluded.map((text, i) => {
    const x = tryParseCidr(text);
    if (!x) causes.push({ field: `excluded[${i}]`, message: `"${text}" is not a CIDR with host bits clear` });
    else if (pool && cidrContainsCidr(x, pool)) causes.push({ field: `excluded[${i}]`, message: `${text} covers the whole platform pool ${formatCidr(pool)}` });
    return x ? formatCidr(x) : text;
  });
  if (causes.length > 0) throw new ValidationError(causes, { kind: 'IpamConfig' });
  return Object.freeze({ ...c, platformPool: formatCidr(pool as NonNullable<typeof pool>), excluded: Object.freeze(excluded) });
}
