/**
 * `GET /clusters/{cluster}/netpol/matrix?namespace=NS&port=80&port=443&protocol=TCP`: which pods
 * of a namespace (or of the whole cluster, without `namespace`) may open connections to which, per
 * port, as the engine decides it (the upstream netpol truth table). Without `port`, every port the
 * pods' containers expose (80 when none does). Authorized as a list of pods in the cluster.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError, nameCauses, type FieldCause } from '../../api/index.js';
import type { RouteContext } from '../../platform/extension.js';
import { authorize } from '../../workloads/routes/access.js';
import { formatMatrix, matrix, matrixSummary } from '../policy/index.js';
import { PROTOCOLS, type PodEndpoint, type Protocol } from '../types.js';
import { requireRuntime } from './runtime-of.js';

interface Query {
  namespace?: string;
  port?: string | string[];
  protocol?: string;
}
type Req = FastifyRequest<{ Params: { cluster: string }; Querystring: Query }>;

/** One port's table. */
export interface MatrixTable {
  readonly port: number;
  readonly protocol: Protocol;
  /** Rows and columns: `ns/pod`. */
  readonly pods: readonly string[];
  /** `allowed[from][to]`. */
  readonly allowed: readonly (readonly boolean[])[];
  readonly summary: { readonly allowed: number; readonly denied: number };
  /** The upstream TruthTable layout: `.` allowed, `X` denied. */
  readonly text: string;
}

function parseQuery(q: Query): { namespace?: string; ports?: number[]; protocol: Protocol } {
  const causes: FieldCause[] = [];
  if (q.namespace !== undefined) causes.push(...nameCauses(q.namespace, 'namespace'));
  const raw = q.port === undefined ? [] : (Array.isArray(q.port) ? q.port : [q.port]).flatMap((p) => p.split(','));
  const ports = raw.map((p, i) => {
    const n = Number(p);
    if (!/^\d+$/.test(p) || n < 1 || n > 65535) causes.push({ field: `port[${i}]`, message: `must be an integer between 1 and 65535, inclusive (got ${JSON.stringify(p)})` });
    return n;
  });
  const protocol = (q.protocol ?? 'TCP').toUpperCase();
  if (!PROTOCOLS.includes(protocol as Protocol)) causes.push({ field: 'protocol', message: `unsupported value ${JSON.stringify(q.protocol)}; must be one of ${PROTOCOLS.join(', ')}` });
  if (causes.length > 0) throw new ValidationError(causes, { kind: 'ConnectivityMatrix' });
  return { ...(q.namespace !== undefined ? { namespace: q.namespace } : {}), ...(ports.length > 0 ? { ports } : {}), protocol: protocol as Protocol };
}

function defaultPorts(pods: readonly PodEndpoint[], protocol: Protocol): number[] {
  const ports = new Set<number>();
  for (const p of pods) for (const c of p.ports) if (c.protocol === protocol) ports.add(c.port);
  return ports.size > 0 ? [...ports].sort((a, b) => a - b) : [80];
}

export function registerMatrixRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/clusters/:cluster/netpol/matrix', async (req: Req) => {
    const { cluster } = req.params;
    const q = parseQuery(req.query);
    await authorize(ctx, req, cluster, 'list', 'pods', q.namespace);
    const engine = requireRuntime(ctx).state.engine;
    const pods = engine
      .pods()
      .filter((p) => p.cluster === cluster && (q.namespace === undefined || p.namespace === q.namespace))
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    const tables: MatrixTable[] = (q.ports ?? defaultPorts(pods, q.protocol)).map((port) => {
      const m = matrix(engine, pods, port, q.protocol);
      return {
        port,
        protocol: q.protocol,
        pods: m.names,
        allowed: m.names.map((_, i) => m.names.map((__, j) => m.allowed(i, j))),
        summary: matrixSummary(m),
        text: formatMatrix(m),
      };
    });
    return { apiVersion: 'bulkhead.dev/v1', kind: 'ConnectivityMatrix', cluster, ...(q.namespace !== undefined ? { namespace: q.namespace } : {}), tables };
  });
}
