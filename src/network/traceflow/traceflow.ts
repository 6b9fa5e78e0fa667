/**
 * Traceflow: a request for "what happens to this connection, and why", answered by the data path
 * and shaped as Antrea's Traceflow object (spec = what was asked, status = the hops and the
 * verdict with the rule that decided it), redacted for what the caller may see.
 */
import { API_VERSION } from '../../api/index.js';
import type { DataPath } from '../datapath/datapath.js';
import type { FlowResult } from '../datapath/flow.js';
import { redact } from './redact.js';
import { flowOf, type TraceflowSpec } from './request.js';

export interface Traceflow {
  readonly apiVersion: string;
  readonly kind: 'Traceflow';
  readonly metadata: { readonly cluster: string };
  readonly spec: TraceflowSpec;
  readonly status: { readonly phase: 'Succeeded' } & FlowResult;
}

/** Runs a trace (or, with liveTraffic, one real connection, closed at once) in `cluster`. */
export function runTraceflow(datapath: DataPath, cluster: string, spec: TraceflowSpec, visible: (tenant: string) => boolean, tenantOfCluster: (cluster: string) => string | undefined): Traceflow {
  const flow = flowOf(cluster, spec);
  let result: FlowResult;
  if (spec.liveTraffic) {
    const c = datapath.connect(flow);
    if (c.id) datapath.close(c.id);
    result = c.result;
  } else result = datapath.trace(flow);
  return { apiVersion: API_VERSION, kind: 'Traceflow', metadata: { cluster }, spec, status: { phase: 'Succeeded', ...redact(result, visible, tenantOfCluster) } };
}
