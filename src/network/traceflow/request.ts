/**
 * A Traceflow request (Antrea's Traceflow spec, trimmed to what the simulated data path needs),
 * validated once at the edge into a FlowRequest: the source pod, the destination (a pod of the same
 * cluster, or an address: a ClusterIP, a LoadBalancer VIP, a pod IP, anything outside), the port
 * and protocol, and whether to trace live traffic (a real connection through the load balancer).
 */
import { nameCauses, ValidationError, type FieldCause } from '../../api/index.js';
import { tryParseIpv4 } from '../ipam/index.js';
import { PROTOCOLS, type Protocol } from '../types.js';
import type { FlowRequest } from '../datapath/flow.js';

export interface TraceflowSpec {
  readonly source: { readonly namespace: string; readonly pod: string };
  readonly destination: { readonly namespace: string; readonly pod: string } | { readonly ip: string };
  readonly port: number;
  readonly protocol: Protocol;
  readonly sourcePort?: number;
  /** Open a real connection (moves round robin, records ClientIP affinity) instead of only reading. */
  readonly liveTraffic: boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isPort = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;

function podRef(v: unknown, path: string, causes: FieldCause[]): { namespace: string; pod: string } | undefined {
  if (!isRecord(v)) {
    causes.push({ field: path, message: v === undefined ? 'required field is missing' : 'must be an object' });
    return undefined;
  }
  const namespace = v['namespace'] ?? 'default';
  const pod = v['pod'];
  const before = causes.length;
  causes.push(...nameCauses(namespace, `${path}.namespace`), ...nameCauses(pod, `${path}.pod`));
  for (const k of Object.keys(v)) if (k !== 'namespace' && k !== 'pod' && !(path === 'destination' && k === 'ip')) causes.push({ field: `${path}.${k}`, message: 'unknown field' });
  return causes.length === before ? { namespace: String(namespace), pod: String(pod) } : undefined;
}

/** Validates a request body; a ValidationError names every bad field. */
export function parseTraceflowSpec(body: unknown): TraceflowSpec {
  const causes: FieldCause[] = [];
  if (!isRecord(body)) throw ValidationError.field('(body)', 'must be a JSON object', { kind: 'Traceflow' });
  const source = podRef(body['source'], 'source', causes);
  let destination: TraceflowSpec['destination'] | undefined;
  const d = body['destination'];
  if (isRecord(d) && d['ip'] !== undefined) {
    if (d['pod'] !== undefined || d['namespace'] !== undefined) causes.push({ field: 'destination', message: 'give either ip, or namespace and pod, not both' });
    else if (typeof d['ip'] !== 'string' || tryParseIpv4(d['ip']) === undefined) causes.push({ field: 'destination.ip', message: `${JSON.stringify(d['ip'])} is not an IPv4 address` });
    else destination = { ip: d['ip'] };
  } else destination = podRef(d, 'destination', causes);
  const port = body['port'];
  if (!isPort(port)) causes.push({ field: 'port', message: port === undefined ? 'required field is missing' : `must be an integer between 1 and 65535, inclusive (got ${JSON.stringify(port)})` });
  const protocol = body['protocol'] ?? 'TCP';
  if (!PROTOCOLS.includes(protocol as Protocol)) causes.push({ field: 'protocol', message: `unsupported value ${JSON.stringify(protocol)}; must be one of ${PROTOCOLS.join(', ')}` });
  const sourcePort = body['sourcePort'];
  if (sourcePort !== undefined && !isPort(sourcePort)) causes.push({ field: 'sourcePort', message: `must be an integer between 1 and 65535, inclusive (got ${JSON.stringify(sourcePort)})` });
  const live = body['liveTraffic'] ?? false;
  if (typeof live !== 'boolean') causes.push({ field: 'liveTraffic', message: 'must be a boolean' });
  for (const k of Object.keys(body)) if (!['source', 'destination', 'port', 'protocol', 'sourcePort', 'liveTraffic'].includes(k)) causes.push({ field: k, message: 'unknown field' });
  if (causes.length > 0 || !source || !destination) throw new ValidationError(causes, { kind: 'Traceflow' });
  return { source, destination, port: port as number, protocol: protocol as Protocol, ...(sourcePort !== undefined ? { sourcePort: sourcePort as number } : {}), liveTraffic: live as boolean };
}

/** The data path's request for a Traceflow in `cluster`. */
export function flowOf(cluster: string, spec: TraceflowSpec): FlowRequest {
  return {
    from: { cluster, namespace: spec.source.namespace, name: spec.source.pod },
    to: 'ip' in spec.destination ? { ip: spec.destination.ip } : { pod: { cluster, namespace: spec.destination.namespace, name: spec.destination.pod } },
    port: spec.port,
    protocol: spec.protocol,
    ...(spec.sourcePort !== undefined ? { sourcePort: spec.sourcePort } : {}),
  };
}
