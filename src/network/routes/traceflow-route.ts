/**
 * `POST /clusters/{cluster}/traceflow`: what happens to a connection from a pod of the cluster,
 * and why (the hops and the verdict with the rule that decided it). Authorized as a read of the
 * source pod in the cluster's tenant; what the trace shows of other tenants is redacted.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../api/index.js';
import type { RouteContext } from '../../platform/extension.js';
import { principalOf } from '../../server/authz.js';
import { authorize } from '../../workloads/routes/access.js';
import { parseTraceflowSpec } from '../traceflow/request.js';
import { runTraceflow } from '../traceflow/traceflow.js';
import { requireRuntime } from './runtime-of.js';

type Req = FastifyRequest<{ Params: { cluster: string } }>;

export function registerTraceflowRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/clusters/:cluster/traceflow', async (req: Req) => {
    const { cluster } = req.params;
    const spec = parseTraceflowSpec(req.body);
    await authorize(ctx, req, cluster, 'get', 'pods', spec.source.namespace, spec.source.pod);
    const rt = requireRuntime(ctx);
    const exists = (ns: string, pod: string) => {
      if (!rt.informers.pods.get(pod, `${cluster}/${ns}`)) throw new NotFoundError('Pod', pod, ns);
    };
    exists(spec.source.namespace, spec.source.pod);
    if ('pod' in spec.destination) exists(spec.destination.namespace, spec.destination.pod);
    const p = principalOf(req);
    return runTraceflow(
      rt.datapath,
      cluster,
      spec,
      (tenant) => ctx.authorizer.allows(p, 'get', 'pods', tenant),
      (c) => rt.informers.clusters.get(c)?.spec?.tenant,
    );
  });
}
