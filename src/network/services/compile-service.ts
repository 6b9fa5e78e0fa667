/**
 * Validates a Kubernetes-shaped Service spec once, at the edge, into a `CompiledService` (the
 * Temporal `compileXxxOptions` habit). Rules and messages follow Kubernetes' Service validation;
 * a ValidationError names every offending field.
 */
import { ValidationError, type FieldCause } from '../../api/index.js';
import { formatCidr, tryParseCidr, tryParseIpv4 } from '../ipam/index.js';
import { PROTOCOLS, type Protocol } from '../types.js';
import {
  DEFAULT_CLIENT_IP_TIMEOUT_SECONDS,
  DEFAULT_MONITOR,
  LB_ALGORITHMS,
  MAX_CLIENT_IP_TIMEOUT_SECONDS,
  MONITOR_TYPES,
  SERVICE_TYPES,
  SESSION_AFFINITY_TYPES,
  type CompiledService,
  type HealthMonitorConfig,
  type HealthMonitorInput,
  type ServiceKey,
  type ServicePort,
  type ServiceSpecInput,
  type SessionAffinity,
} from './service.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** IANA_SVC_NAME: 1–15 of [a-z0-9-], at least one letter, no hyphen at either end or twice in a row. */
const IANA_SVC_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;

const isPort = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535;

/** Validates `spec` for the Service `key`; throws a ValidationError listing every problem. */
export function compileService(key: ServiceKey, spec: ServiceSpecInput): CompiledService {
  const causes: FieldCause[] = [];
  const bad = (field: string, message: string) => causes.push({ field: `spec.${field}`, message });

  const type = spec.type ?? 'ClusterIP';
  if (!SERVICE_TYPES.includes(type)) bad('type', `Unsupported value "${type}": supported values: ${SERVICE_TYPES.join(', ')}`);

  const ports = compilePorts(spec, bad);

  const headless = spec.clusterIP === 'None';
  let requestedClusterIP: string | undefined;
  if (headless && type !== 'ClusterIP') bad('clusterIP', `may not be set to 'None' for ${type} services`);
  else if (spec.clusterIP && !headless) {
    if (tryParseIpv4(spec.clusterIP) === undefined) bad('clusterIP', `Invalid value "${spec.clusterIP}": must be a valid IPv4 address, (or be set to 'None')`);
    else requestedClusterIP = spec.clusterIP;
  }

  let requestedLoadBalancerIP: string | undefined;
  if (spec.loadBalancerIP) {
    if (type !== 'LoadBalancer') bad('loadBalancerIP', "may only be used when `type` is 'LoadBalancer'");
    else if (tryParseIpv4(spec.loadBalancerIP) === undefined) bad('loadBalancerIP', `Invalid value "${spec.loadBalancerIP}": must be a valid IPv4 address`);
    else requestedLoadBalancerIP = spec.loadBalancerIP;
  }

  const sourceRanges: string[] = [];
  const ranges = spec.loadBalancerSourceRanges ?? [];
  if (ranges.length > 0 && type !== 'LoadBalancer') bad('loadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'");
  ranges.forEach((r, i) => {
    // Kubernetes parses these with net.ParseCIDR, which tolerates host bits and surrounding spaces.
    const c = tryParseCidr(r.trim(), { strict: false });
    if (!c) bad(`loadBalancerSourceRanges[${i}]`, `Invalid value "${r}": must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24`);
    else sourceRanges.push(formatCidr(c));
  });

  const sessionAffinity = compileAffinity(spec, bad);

  const algorithm = spec.loadBalancing?.algorithm ?? 'ROUND_ROBIN';
  if (!LB_ALGORITHMS.includes(algorithm)) bad('loadBalancing.algorithm', `Unsupported value "${algorithm}": supported values: ${LB_ALGORITHMS.join(', ')}`);
  const healthMonitor = spec.loadBalancing?.healthMonitor ? compileMonitor(spec.loadBalancing.healthMonitor, bad) : undefined;

  if (spec.selector) {
    for (const [k, v] of Object.entries(spec.selector)) if (typeof v !== 'string') bad(`selector.${k}`, 'must be a string');
  }

  if (causes.length > 0) throw new ValidationError(causes, { kind: 'Service', name: `${key.namespace}/${key.name}` });
  return {
    key: { cluster: key.cluster, namespace: key.namespace, name: key.name },
    type,
    ...(spec.selector ? { selector: { ...spec.selector } } : {}),
    headless,
    ports,
    ...(requestedClusterIP ? { requestedClusterIP } : {}),
    ...(requestedLoadBalancerIP ? { requestedLoadBalancerIP } : {}),
    sourceRanges,
    sessionAffinity,
    algorithm,
    ...(healthMonitor ? { healthMonitor } : {}),
    publishNotReadyAddresses: spec.publishNotReadyAddresses ?? false,
  };
}

function compilePorts(spec: ServiceSpecInput, bad: (field: string, message: string) => void): ServicePort[] {
  if (spec.ports.length === 0) bad('ports', 'Required value');
  const names = new Set<string>();
  const pairs = new Set<string>();
  return spec.ports.map((p, i) => {
    const f = `ports[${i}]`;
    const protocol: Protocol = p.protocol ?? 'TCP';
    if (!PROTOCOLS.includes(protocol)) bad(`${f}.protocol`, `Unsupported value "${protocol}": supported values: ${PROTOCOLS.join(', ')}`);
    if (!isPort(p.port)) bad(`${f}.port`, `Invalid value ${p.port}: must be between 1 and 65535, inclusive`);
    const name = p.name ?? '';
    if (spec.ports.length > 1 && !name) bad(`${f}.name`, 'Required value (a Service with more than one port names every port)');
    if (name && !DNS_LABEL.test(name)) bad(`${f}.name`, `Invalid value "${name}": must be a lowercase RFC 1123 label`);
    if (name && names.has(name)) bad(`${f}.name`, `Duplicate value "${name}"`);
    names.add(name);
    const pair = `${p.port}/${protocol}`;
    if (pairs.has(pair)) bad(`${f}`, `Duplicate value: port ${pair} is listed twice`);
    pairs.add(pair);
    const targetPort = p.targetPort ?? p.port;
    // An absent targetPort is the port itself, already checked above.
    if (p.targetPort !== undefined && (typeof targetPort === 'number' ? !isPort(targetPort) : !IANA_SVC_NAME.test(targetPort))) {
      bad(`${f}.targetPort`, `Invalid value ${JSON.stringify(targetPort)}: must be a port number between 1 and 65535 or an IANA service name (at most 15 lowercase letters, digits and '-')`);
    }
    return { name, protocol, port: p.port, targetPort };
  });
}

function compileAffinity(spec: ServiceSpecInput, bad: (field: string, message: string) => void): SessionAffinity {
  const type = spec.sessionAffinity ?? 'None';
  if (!SESSION_AFFINITY_TYPES.includes(type)) {
    bad('sessionAffinity', `Unsupported value "${type}": supported values: ${SESSION_AFFINITY_TYPES.join(', ')}`);
    return { type: 'None' };
  }
  if (type === 'None') {
    if (spec.sessionAffinityConfig) bad('sessionAffinityConfig', 'must not be set when session affinity is None');
    return { type: 'None' };
  }
  const timeoutSeconds = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_CLIENT_IP_TIMEOUT_SECONDS;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > MAX_CLIENT_IP_TIMEOUT_SECONDS) {
    bad('sessionAffinityConfig.clientIP.timeoutSeconds', `Invalid value ${timeoutSeconds}: must be greater than 0 and less than ${MAX_CLIENT_IP_TIMEOUT_SECONDS}`);
  }
  return { type: 'ClientIP', timeoutSeconds };
}

function compileMonitor(m: HealthMonitorInput, bad: (field: string, message: string) => void): HealthMonitorConfig {
  const f = 'loadBalancing.healthMonitor';
  const type = m.type ?? 'TCP';
  if (!MONITOR_TYPES.includes(type)) bad(`${f}.type`, `Unsupported value "${type}": supported values: ${MONITOR_TYPES.join(', ')}`);
  const positive = (name: keyof typeof DEFAULT_MONITOR) => {
    const v = m[name] ?? DEFAULT_MONITOR[name];
    if (!Number.isInteger(v) || v < 1) bad(`${f}.${name}`, `Invalid value ${v}: must be a positive integer`);
    return v;
  };
  const config = {
    type,
    intervalSeconds: positive('intervalSeconds'),
    timeoutSeconds: positive('timeoutSeconds'),
    fallCount: positive('fallCount'),
    riseCount: positive('riseCount'),
  };
  if (m.port !== undefined && !isPort(m.port)) bad(`${f}.port`, `Invalid value ${m.port}: must be between 1 and 65535, inclusive`);
  return m.port === undefined ? config : { ...config, port: m.port };
}
