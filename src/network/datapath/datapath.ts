/**
 * The simulated data path: what happens to a new connection, by the same code a real one would
 * run. Source pod (its segment and address) → if the destination is a Service address, the
 * Service proxy picks an endpoint and rewrites the destination (DNAT) → the distributed firewall:
 * the policy engine decides the source's egress side, then the destination's ingress side, on the
 * translated port → delivered, or dropped/rejected by the rule or refusal that says so.
 *
 *   from pod ─▶ [Source] ─▶ [LoadBalancer: resolve / connect] ─▶ [Firewall egress] ─▶ [Firewall ingress] ─▶ [Destination]
 *
 * `trace` never changes anything (traceflow: round robin and affinity are only read); `connect`
 * records the connection in the proxy as live traffic does (round-robin turn, ClientIP affinity,
 * least-connections count) and returns its id so the caller can close it.
 */
import { ConflictError } from '../../api/index.js';
import type { Clock } from '../../clock/index.js';
import type { NetworkState } from '../controllers/network-state.js';
import { segmentNames } from '../controllers/names.js';
import type { Resolution, ResolveRequest } from '../services/index.js';
import type { Decision, Endpoint, PodEndpoint } from '../types.js';
import type { FlowRequest, FlowResult, Hop, HopPod, PodTarget } from './flow.js';
import { describeRule } from './rule-text.js';

export const DEFAULT_SOURCE_PORT = 40_000;

const label = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

export class DataPath {
  constructor(
    private readonly state: NetworkState,
    /** The simulated datacenter's clock: affinity and health times. */
    private readonly clock: Clock,
  ) {}

  /** Where a new connection would go and why, changing nothing. */
  trace(req: FlowRequest): FlowResult {
    return this.run(req, false).result;
  }

  /** Opens a connection through the data path; `close(id)` ends it. */
  connect(req: FlowRequest): { readonly result: FlowResult; readonly id?: string } {
    return this.run(req, true);
  }

  close(id: string): boolean {
    return this.state.proxy.close(id);
  }

  private hopPod(p: PodEndpoint): HopPod {
    const a = this.state.attachment(`${p.cluster}/${p.namespace}/${p.name}`);
    const subnet = this.state.ipam.namespaceSubnet(p.cluster, p.namespace);
    return {
      cluster: p.cluster,
      namespace: p.namespace,
      name: p.name,
      tenant: p.tenant,
      ...(p.ip ? { ip: p.ip } : {}),
      ...(a?.nodeName ? { node: a.nodeName } : {}),
      ...(subnet ? { segment: `${segmentNames.podSubnet(p.cluster, p.namespace)} ${subnet.cidr}` } : {}),
    };
  }

  private pod(t: PodTarget, field: string): PodEndpoint {
    const p = this.state.engine.pod(t);
    if (!p) throw new ConflictError(`${field}: pod ${t.namespace}/${t.name} of cluster ${t.cluster} is not on the network (it has finished or is being deleted, or its cluster's tenant is unknown)`);
    return p;
  }

  private run(req: FlowRequest, live: boolean): { result: FlowResult; id?: string } {
    const hops: Hop[] = [];
    const src = this.pod(req.from, 'from');
    const srcHop = this.hopPod(src);
    if (!src.ip) {
      hops.push({ component: 'Source', action: 'Dropped', pod: srcHop, detail: `pod ${label(src)} has no IP address yet: its network is not ready` });
      return { result: { verdict: 'Dropped', hops, reason: `dropped: ${label(src)} has no IP address`, decidedBy: { tier: 'loadbalancer', action: 'Drop', rule: 'NoSourceAddress' } } };
    }
    hops.push({ component: 'Source', action: 'Forwarded', pod: srcHop, detail: `pod ${label(src)} ${src.ip}${srcHop.node ? ` on node ${srcHop.node}` : ''}${srcHop.segment ? `, segment ${srcHop.segment}` : ''}` });
    const sourcePort = req.sourcePort ?? DEFAULT_SOURCE_PORT;
    let dst: Endpoint;
    let port = req.port;
    let connection: string | undefined;
    if ('pod' in req.to) {
      dst = this.pod(req.to.pod, 'to');
    } else {
      const r: ResolveRequest = { target: { ip: req.to.ip, cluster: src.cluster }, port: req.port, protocol: req.protocol, clientIp: src.ip, clientPort: sourcePort };
      let resolution: Resolution;
      if (live) {
        const c = this.state.proxy.connect(r, this.clock.now());
        resolution = c.resolution;
        connection = c.id;
      } else resolution = this.state.proxy.resolve(r, this.clock.now());
      const service = (k: { cluster: string; namespace: string; name: string }) => `${k.cluster}/${k.namespace}/${k.name}`;
      if (resolution.outcome === 'Refused') {
        const action = resolution.action === 'Drop' ? 'Dropped' : 'Rejected';
        hops.push({ component: 'LoadBalancer', action, detail: resolution.reason, ...(resolution.service ? { service: service(resolution.service) } : {}) });
        return { result: { verdict: action, hops, reason: `${action.toLowerCase()} by the load balancer: ${resolution.reason}`, decidedBy: { tier: 'loadbalancer', action: resolution.action, rule: resolution.code } } };
      }
      if (resolution.outcome === 'Translated') {
        hops.push({ component: 'LoadBalancer', action: 'Translated', service: service(resolution.service), translation: resolution.translation, detail: `${resolution.translation.text}; ${resolution.reason}` });
        const backend = this.state.engine.pod({ cluster: resolution.service.cluster, namespace: resolution.service.namespace, name: resolution.endpoint.pod });
        if (!backend) {
          if (connection) this.state.proxy.close(connection);
          hops.push({ component: 'Destination', action: 'Dropped', detail: `endpoint pod ${resolution.service.namespace}/${resolution.endpoint.pod} is gone` });
          return { result: { verdict: 'Dropped', hops, reason: 'dropped: the chosen endpoint is gone', decidedBy: { tier: 'loadbalancer', action: 'Drop', rule: 'EndpointGone' } } };
        }
        dst = backend;
        port = resolution.endpoint.port;
      } else {
        const at = this.state.podAt(req.to.ip);
        dst = (at && this.state.engine.pod(at)) || { kind: 'external', ip: req.to.ip };
      }
    }
    const decision = this.state.engine.decide(src, dst, port, req.protocol);
    hops.push(...this.firewallHops(src, dst, decision));
    if (!decision.allowed) {
      if (connection) this.state.proxy.close(connection);
      const verdict = decision.action === 'Reject' ? 'Rejected' : 'Dropped';
      return { result: { verdict, hops, reason: decision.reason, decidedBy: decision.decidedBy } };
    }
    if (dst.kind === 'pod') {
      const h = this.hopPod(dst);
      hops.push({ component: 'Destination', action: 'Delivered', pod: h, detail: `pod ${label(dst)} ${dst.ip}:${port}/${req.protocol}${h.node ? ` on node ${h.node}` : ''}${h.segment ? `, segment ${h.segment}` : ''}` });
    } else {
      hops.push({ component: 'Destination', action: 'Delivered', detail: `${dst.ip}:${port}/${req.protocol} is outside every cluster: forwarded out of the overlay` });
    }
    return { result: { verdict: 'Delivered', hops, reason: decision.reason, decidedBy: decision.decidedBy }, ...(connection ? { id: connection } : {}) };
  }

  /** One hop per side the engine evaluated, each naming the pod whose side it is. */
  private firewallHops(src: PodEndpoint, dst: Endpoint, d: Decision): Hop[] {
    const hops: Hop[] = [];
    if (d.decidedBy.rule === 'loopback') return [{ component: 'Firewall', action: 'Allowed', pod: this.hopPod(src), rule: d.decidedBy, detail: describeRule(`${label(src)} to itself`, d.decidedBy) }];
    const action = (allowed: boolean): Hop['action'] => (allowed ? 'Allowed' : d.action === 'Reject' ? 'Rejected' : 'Dropped');
    if (d.egress) {
      const denied = !d.allowed && d.egress === d.decidedBy;
      hops.push({ component: 'Firewall', action: action(!denied), direction: 'Egress', pod: this.hopPod(src), rule: d.egress, detail: describeRule(`egress from ${label(src)}`, d.egress) });
      if (denied) return hops;
    }
    if (d.ingress) {
      const denied = !d.allowed;
      const who = dst.kind === 'pod' ? label(dst) : dst.ip;
      hops.push({ component: 'Firewall', action: action(!denied), direction: 'Ingress', ...(dst.kind === 'pod' ? { pod: this.hopPod(dst) } : {}), rule: d.ingress, detail: describeRule(`ingress to ${who}`, d.ingress) });
    }
    return hops;
  }
}
