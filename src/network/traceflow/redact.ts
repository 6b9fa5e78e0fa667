/**
 * What a caller may learn from a trace: everything about pods of tenants whose pods they may read,
 * nothing identifying about anyone else's. A hop at a pod of another tenant keeps its address and
 * the verdict but loses its names, and the names of that tenant's pods, Services, NetworkPolicies
 * and built-in isolation policy are replaced in every line (so traceflow cannot be used to map
 * another tenant's workloads, as a 404 already hides their clusters).
 */
import type { FlowResult, Hop, HopPod } from '../datapath/flow.js';
import { isolationPolicyName } from '../controllers/tenant-isolation.js';

export const HIDDEN = '(another tenant)';

function replaceAll(text: string, pairs: readonly (readonly [string, string])[]): string {
  let out = text;
  for (const [needle, by] of pairs) out = out.split(needle).join(by);
  return out;
}

function deepReplace<T>(value: T, pairs: readonly (readonly [string, string])[]): T {
  if (typeof value === 'string') return replaceAll(value, pairs) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => deepReplace(v, pairs)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepReplace(v, pairs)])) as T;
  return value;
}

/**
 * `result` as a caller who may read pods of the tenants `visible` accepts may see it; a Service's
 * tenant is its cluster's (`tenantOfCluster`).
 */
export function redact(result: FlowResult, visible: (tenant: string) => boolean, tenantOfCluster: (cluster: string) => string | undefined): FlowResult {
  const foreign = result.hops.map((h) => h.pod).filter((p): p is HopPod => p !== undefined && !visible(p.tenant));
  const services = result.hops
    .map((h) => h.service)
    .filter((s): s is string => s !== undefined)
    .filter((s) => !visible(tenantOfCluster(s.split('/')[0] ?? '') ?? ''));
  if (foreign.length === 0 && services.length === 0) return result;
  const pairs: [string, string][] = [];
  for (const s of services) {
    const [cluster = '', namespace = '', name = ''] = s.split('/');
    pairs.push([s, `${HIDDEN}/service`], [`${namespace}/${name}`, `${HIDDEN}/service`], [`${cluster}/${namespace}/`, `${HIDDEN}/`]);
  }
  for (const p of foreign) {
    pairs.push([`${p.cluster}/${p.namespace}/`, `${HIDDEN}/`]);
    pairs.push([`${p.namespace}/${p.name}`, `${HIDDEN}/pod`]);
    pairs.push([isolationPolicyName(p.tenant), isolationPolicyName('').replace(/-$/, '') + `-${HIDDEN}`]);
    if (p.segment) pairs.push([p.segment, HIDDEN]);
  }
  // Longest first, so a Service key is replaced before the namespace/name inside it.
  pairs.sort((a, b) => b[0].length - a[0].length);
  const hops = result.hops.map((h): Hop => {
    const hidden = h.pod && !visible(h.pod.tenant);
    const { pod, ...rest } = h;
    const safe = deepReplace(rest, pairs);
    if (!pod) return safe;
    return { ...safe, pod: hidden ? { cluster: HIDDEN, namespace: HIDDEN, name: HIDDEN, tenant: HIDDEN, ...(pod.ip ? { ip: pod.ip } : {}) } : pod };
  });
  const { hops: _h, ...others } = result;
  return { ...deepReplace(others, pairs), hops };
}
