/**
 * The Service proxy: Bulkhead's kube-proxy / NSX-T load balancer, as pure state. A controller
 * feeds it Services (with the addresses ServiceVips gave them) and their endpoints; the data path
 * calls `connect` for a new flow and `close` when it ends; traceflow calls `resolve`, which reads
 * and never changes anything, so a trace does not disturb round-robin or affinity. Health checks
 * are driven from outside on the injected clock: `dueProbes` → run them → `probeFinished`, and
 * `expireProbes` for those that never answer.
 *
 *  flow ─▶ frontend (VIP or ClusterIP) ─▶ port ─▶ source ranges ─▶ ready ∩ not DOWN
 *        ─▶ ClientIP affinity ─▶ algorithm ─▶ DNAT to pod ip:port
 *
 * State is JSON-safe (`toState` / `fromState`) and every choice is deterministic.
 */
import { NotFoundError, ValidationError } from '../../api/index.js';
import { cidrContains, parseCidr, parseIpv4, tryParseIpv4, type Cidr } from '../ipam/index.js';
import type { Protocol } from '../types.js';
import { affinityExpiresAt, affinityLive, type AffinityEntry } from './affinity.js';
import { pickBackend } from './algorithms.js';
import { backendKey, type Backend, type EndpointSet } from './endpoints.js';
import { expireProbe, finishProbe, isProbeDue, newMemberHealth, probeDeadline, startProbe, takesTraffic, type MemberHealth, type MemberStatus } from './health-monitor.js';
import type { Frontend, NotAService, Refused, Resolution, ResolveRequest, ResolveTarget, Translated } from './resolution.js';
import { portLabel, serviceKeyString, type CompiledService, type MonitorType, type ServiceKey, type ServicePort } from './service.js';
import type { ServiceAddresses } from './vips.js';

/** Everything the proxy holds, JSON-safe. Maps are keyed by Service port key (`cluster/ns/name#80/TCP`). */
export interface ServiceProxyState {
  readonly services: readonly { readonly service: CompiledService; readonly addresses: ServiceAddresses }[];
  readonly endpoints: readonly EndpointSet[];
  /** Port key → backend `ip:port` → monitor state. */
  readonly health: Readonly<Record<string, Readonly<Record<string, MemberHealth>>>>;
  /** Port key → the backend the algorithm picked last. */
  readonly lastPicked: Readonly<Record<string, string>>;
  /** Port key → client IP → affinity entry. */
  readonly affinity: Readonly<Record<string, Readonly<Record<string, AffinityEntry>>>>;
  /** Connection id → where it went. */
  readonly connections: Readonly<Record<string, { readonly port: string; readonly backend: string }>>;
  readonly nextConnection: number;
}

/** A health probe to run: against `backend.ip:probePort`, of `type`, within `timeoutSeconds`. */
export interface ProbeTarget {
  /** Pass back to `probeStarted` / `probeFinished`. */
  readonly id: string;
  readonly service: ServiceKey;
  readonly servicePort: string;
  readonly backend: Backend;
  readonly probePort: number;
  readonly type: MonitorType;
  readonly timeoutSeconds: number;
}

/** One backend of one Service port as `describe` shows it. */
export interface MemberView {
  readonly servicePort: string;
  readonly backend: Backend;
  /** Absent when no health monitor is bound. */
  readonly health?: MemberStatus;
  readonly connections: number;
}

/** The result of `connect`: the resolution, and a connection id when it was translated. */
export interface Connection {
  readonly resolution: Resolution;
  readonly id?: string;
}

interface Entry {
  readonly service: CompiledService;
  readonly addresses: ServiceAddresses;
  readonly sourceRanges: readonly Cidr[];
}

const portKeyOf = (key: ServiceKey, p: Pick<ServicePort, 'port' | 'protocol'>) => `${serviceKeyString(key)}#${p.port}/${p.protocol}`;

/** See the module comment. */
export class ServiceProxy {
  private readonly services = new Map<string, Entry>();
  private readonly clusterIps = new Map<string, string>();
  private readonly vips = new Map<string, string>();
  private readonly endpointSets = new Map<string, EndpointSet>();
  private readonly health = new Map<string, Map<string, MemberHealth>>();
  private readonly lastPicked = new Map<string, string>();
  private readonly affinity = new Map<string, Map<string, AffinityEntry>>();
  private readonly connections = new Map<string, { readonly port: string; readonly backend: string }>();
  private readonly counts = new Map<string, Map<string, number>>();
  private nextConnection = 1;

  static fromState(state: ServiceProxyState): ServiceProxy {
    const p = new ServiceProxy();
    for (const s of state.services) p.install(s.service, s.addresses, s.service.sourceRanges.map((r, i) => parseCidr(r, { field: `services.sourceRanges[${i}]`, strict: false })));
    for (const e of state.endpoints) {
      p.entry(e.service);
      p.endpointSets.set(serviceKeyString(e.service), e);
    }
    for (const [pk, members] of Object.entries(state.health)) p.health.set(pk, new Map(Object.entries(members)));
    for (const [pk, b] of Object.entries(state.lastPicked)) p.lastPicked.set(pk, b);
    for (const [pk, table] of Object.entries(state.affinity)) p.affinity.set(pk, new Map(Object.entries(table)));
    for (const [id, c] of Object.entries(state.connections)) p.track(id, c.port, c.backend);
    p.nextConnection = state.nextConnection;
    return p;
  }

  toState(): ServiceProxyState {
    const sorted = <V>(m: Map<string, V>) => [...m.keys()].sort().map((k) => [k, m.get(k) as V] as const);
    const nested = <V>(m: Map<string, Map<string, V>>) => Object.fromEntries(sorted(m).map(([k, inner]) => [k, Object.fromEntries(sorted(inner))]));
    return {
      services: sorted(this.services).map(([, e]) => ({ service: e.service, addresses: e.addresses })),
      endpoints: sorted(this.endpointSets).map(([, e]) => e),
      health: nested(this.health),
      lastPicked: Object.fromEntries(sorted(this.lastPicked)),
      affinity: nested(this.affinity),
      connections: Object.fromEntries(sorted(this.connections)),
      nextConnection: this.nextConnection,
    };
  }

  // ── configuration (the controller) ───────────────────────────────────────

  /** Adds or replaces a Service with its addresses; per-port state of removed ports is dropped. */
  upsertService(service: CompiledService, addresses: ServiceAddresses, now: number): void {
    const ks = serviceKeyString(service.key);
    const sourceRanges = service.sourceRanges.map((r, i) => parseCidr(r, { field: `sourceRanges[${i}]`, strict: false }));
    if (!service.headless && !addresses.clusterIP) throw ValidationError.field('clusterIP', `Service ${ks} has no ClusterIP; allocate one with ServiceVips first`);
    if (addresses.clusterIP) this.claim(this.clusterIps, `${service.key.cluster}|${addresses.clusterIP}`, ks, 'clusterIP', addresses.clusterIP);
    if (addresses.loadBalancerIP) this.claim(this.vips, addresses.loadBalancerIP, ks, 'loadBalancerIP', addresses.loadBalancerIP);
    const old = this.services.get(ks);
    if (old) {
      this.unindex(old);
      const keep = new Set(service.ports.map((p) => portKeyOf(service.key, p)));
      for (const p of old.service.ports) if (!keep.has(portKeyOf(service.key, p))) this.dropPort(portKeyOf(service.key, p));
      if (service.sessionAffinity.type === 'None') for (const p of service.ports) this.affinity.delete(portKeyOf(service.key, p));
    }
    this.install(service, addresses, sourceRanges);
    this.syncHealth(ks, now);
  }

  /** Removes a Service; its open connections stay counted until closed. */
  deleteService(key: ServiceKey): void {
    const ks = serviceKeyString(key);
    const e = this.services.get(ks);
    if (!e) return;
    this.unindex(e);
    for (const p of e.service.ports) this.dropPort(portKeyOf(key, p));
    this.services.delete(ks);
    this.endpointSets.delete(ks);
  }

  /** Replaces a Service's endpoints (from `computeEndpoints`); new members start UNKNOWN with a probe due now. */
  setEndpoints(endpoints: EndpointSet, now: number): void {
    this.entry(endpoints.service);
    const ks = serviceKeyString(endpoints.service);
    this.endpointSets.set(ks, endpoints);
    this.syncHealth(ks, now);
  }

  service(key: ServiceKey): { readonly service: CompiledService; readonly addresses: ServiceAddresses } | undefined {
    const e = this.services.get(serviceKeyString(key));
    return e ? { service: e.service, addresses: e.addresses } : undefined;
  }

  // ── the data path and traceflow ──────────────────────────────────────────

  /** Where a new flow would go, without changing any state (traceflow and the data path share it). */
  resolve(request: ResolveRequest, now: number): Resolution {
    const found = this.frontendOf(request.target, request.port, request.protocol);
    if ('outcome' in found) return found;
    const { entry, frontend } = found;
    const svc = entry.service;
    const name = `${svc.key.namespace}/${svc.key.name}`;
    const refuse = (code: Refused['code'], action: Refused['action'], reason: string): Refused => ({ outcome: 'Refused', code, action, service: svc.key, frontend, reason });
    const port = svc.ports.find((p) => p.port === request.port && p.protocol === request.protocol);
    if (!port) return refuse('PortNotExposed', 'Drop', `Service ${name} exposes no port ${request.port}/${request.protocol} (it has ${svc.ports.map((p) => `${p.port}/${p.protocol}`).join(', ')})`);
    const client = parseIpv4(request.clientIp, 'clientIp');
    if (frontend.kind === 'LoadBalancer' && entry.sourceRanges.length > 0 && !entry.sourceRanges.some((c) => cidrContains(c, client))) {
      return refuse('SourceRangeDenied', 'Drop', `client ${request.clientIp} is outside loadBalancerSourceRanges ${svc.sourceRanges.join(', ')} of Service ${name}`);
    }
    const pk = portKeyOf(svc.key, port);
    const all = this.backendsOf(entry, port);
    const eligible = all.filter((b) => this.takesTraffic(pk, b));
    if (eligible.length === 0) {
      const why = all.length === 0 ? 'it has no ready endpoints' : `all ${all.length} of its endpoints are DOWN by the health monitor`;
      return refuse('NoEndpoints', 'Reject', `Service ${name} port ${portLabel(port)}: ${why}`);
    }
    const byKey = new Map(eligible.map((b) => [backendKey(b), b]));
    if (svc.sessionAffinity.type === 'ClientIP') {
      const sticky = this.affinity.get(pk)?.get(request.clientIp);
      if (affinityLive(sticky, svc.sessionAffinity.timeoutSeconds, now) && byKey.has(sticky.backend)) {
        const b = byKey.get(sticky.backend) as Backend;
        const until = new Date(affinityExpiresAt(sticky, svc.sessionAffinity.timeoutSeconds)).toISOString();
        return translated(request, svc, port, frontend, b, 'ClientIPAffinity', eligible.length, `ClientIP affinity keeps ${request.clientIp} on pod ${b.pod} until ${until} unless it connects again`);
      }
    }
    const lastPicked = this.lastPicked.get(pk);
    const chosen = pickBackend(svc.algorithm, [...byKey.keys()], { clientIp: request.clientIp, connections: this.counts.get(pk) ?? new Map<string, number>(), ...(lastPicked ? { lastPicked } : {}) });
    const b = byKey.get(chosen) as Backend;
    const how =
      svc.algorithm === 'ROUND_ROBIN'
        ? `next in turn after ${lastPicked ?? 'none'}`
        : svc.algorithm === 'LEAST_CONNECTION'
          ? `fewest open connections (${this.counts.get(pk)?.get(chosen) ?? 0})`
          : `highest rendezvous hash for client ${request.clientIp}`;
    return translated(request, svc, port, frontend, b, svc.algorithm, eligible.length, `${svc.algorithm} picked pod ${b.pod} among ${eligible.length} eligible endpoints: ${how}`);
  }

  /** Resolves a new flow and, when translated, records it (round-robin turn, connection count, affinity). */
  connect(request: ResolveRequest, now: number): Connection {
    const resolution = this.resolve(request, now);
    if (resolution.outcome !== 'Translated') return { resolution };
    const pk = portKeyOf(resolution.service, { port: resolution.frontend.port, protocol: resolution.frontend.protocol });
    const bk = backendKey(resolution.endpoint);
    if (resolution.pickedBy !== 'ClientIPAffinity') this.lastPicked.set(pk, bk);
    const svc = this.services.get(serviceKeyString(resolution.service))?.service;
    if (svc?.sessionAffinity.type === 'ClientIP') this.table(this.affinity, pk).set(request.clientIp, { backend: bk, lastUsed: now });
    const id = `c${this.nextConnection++}`;
    this.track(id, pk, bk);
    return { resolution, id };
  }

  /** Ends a connection (least-connections counts it no more); false when the id is unknown. */
  close(id: string): boolean {
    const c = this.connections.get(id);
    if (!c) return false;
    this.connections.delete(id);
    const counts = this.counts.get(c.port);
    const n = (counts?.get(c.backend) ?? 1) - 1;
    if (n > 0) counts?.set(c.backend, n);
    else counts?.delete(c.backend);
    if (counts?.size === 0) this.counts.delete(c.port);
    return true;
  }

  /** Drops affinity entries that have lapsed; returns how many. */
  sweepAffinity(now: number): number {
    let removed = 0;
    for (const [pk, table] of this.affinity) {
      const svc = this.services.get(pk.slice(0, pk.lastIndexOf('#')))?.service;
      const timeout = svc?.sessionAffinity.type === 'ClientIP' ? svc.sessionAffinity.timeoutSeconds : 0;
      for (const [client, e] of table) {
        if (affinityLive(e, timeout, now)) continue;
        table.delete(client);
        removed++;
      }
      if (table.size === 0) this.affinity.delete(pk);
    }
    return removed;
  }

  // ── health monitoring (driven on the injected clock) ─────────────────────

  /** Probes that should start now. */
  dueProbes(now: number): ProbeTarget[] {
    const out: ProbeTarget[] = [];
    for (const { entry, port, pk, backend, member } of this.members()) {
      const m = entry.service.healthMonitor;
      if (m && member && isProbeDue(member, now)) {
        out.push({ id: `${pk}@${backendKey(backend)}`, service: entry.service.key, servicePort: portLabel(port), backend, probePort: m.port ?? backend.port, type: m.type, timeoutSeconds: m.timeoutSeconds });
      }
    }
    return out;
  }

  /** Marks a probe in flight; false when the member is gone. */
  probeStarted(id: string, now: number): boolean {
    return this.updateMember(id, (m, config) => startProbe(m, config, now));
  }

  /** Records a probe's outcome (a late answer counts as a failure); false when the member is gone. */
  probeFinished(id: string, ok: boolean, now: number): boolean {
    return this.updateMember(id, (m, config) => finishProbe(m, config, ok, now));
  }

  /** Fails probes that have not answered within their timeout; returns their ids. */
  expireProbes(now: number): string[] {
    const expired: string[] = [];
    for (const { entry, pk, backend, member } of this.members()) {
      const config = entry.service.healthMonitor;
      if (!config || !member) continue;
      const next = expireProbe(member, config, now);
      if (next !== member) {
        this.health.get(pk)?.set(backendKey(backend), next);
        expired.push(`${pk}@${backendKey(backend)}`);
      }
    }
    return expired;
  }

  /** The earliest time a probe is due or times out: when the driver should call again. */
  nextHealthCheckAt(): number | undefined {
    let next: number | undefined;
    for (const { entry, member } of this.members()) {
      const config = entry.service.healthMonitor;
      if (!config || !member) continue;
      const t = probeDeadline(member, config) ?? member.nextProbeAt;
      if (next === undefined || t < next) next = t;
    }
    return next;
  }

  /** Every backend of a Service with its health and open connections, for `describe`. */
  membersOf(key: ServiceKey): MemberView[] {
    const ks = serviceKeyString(key);
    return [...this.members()]
      .filter((m) => serviceKeyString(m.entry.service.key) === ks)
      .map(({ port, pk, backend, member }) => ({
        servicePort: portLabel(port),
        backend,
        ...(member ? { health: member.status } : {}),
        connections: this.counts.get(pk)?.get(backendKey(backend)) ?? 0,
      }));
  }

  // ── internals ────────────────────────────────────────────────────────────

  private install(service: CompiledService, addresses: ServiceAddresses, sourceRanges: readonly Cidr[]): void {
    const ks = serviceKeyString(service.key);
    this.services.set(ks, { service, addresses, sourceRanges });
    if (addresses.clusterIP) this.clusterIps.set(`${service.key.cluster}|${addresses.clusterIP}`, ks);
    if (addresses.loadBalancerIP) this.vips.set(addresses.loadBalancerIP, ks);
  }

  private unindex(e: Entry): void {
    if (e.addresses.clusterIP) this.clusterIps.delete(`${e.service.key.cluster}|${e.addresses.clusterIP}`);
    if (e.addresses.loadBalancerIP) this.vips.delete(e.addresses.loadBalancerIP);
  }

  private claim(index: Map<string, string>, slot: string, ks: string, field: string, ip: string): void {
    if (tryParseIpv4(ip) === undefined) throw ValidationError.field(field, `"${ip}" is not an IPv4 address`);
    const holder = index.get(slot);
    if (holder !== undefined && holder !== ks) throw ValidationError.field(field, `${ip} is already the frontend of Service ${holder}`);
  }

  private dropPort(pk: string): void {
    this.health.delete(pk);
    this.lastPicked.delete(pk);
    this.affinity.delete(pk);
  }

  private entry(key: ServiceKey): Entry {
    const e = this.services.get(serviceKeyString(key));
    if (!e) throw new NotFoundError('Service', key.name, `${key.cluster}/${key.namespace}`);
    return e;
  }

  private frontendOf(target: ResolveTarget, port: number, protocol: Protocol): { entry: Entry; frontend: Frontend } | Refused | NotAService {
    if ('service' in target) {
      const entry = this.services.get(serviceKeyString(target.service));
      if (!entry) return { outcome: 'Refused', code: 'ServiceNotFound', action: 'Drop', reason: `Service ${serviceKeyString(target.service)} does not exist` };
      if (!entry.addresses.clusterIP) return { outcome: 'NotAService', reason: `Service ${serviceKeyString(target.service)} is headless: clients reach its pods directly` };
      return { entry, frontend: { kind: 'ClusterIP', ip: entry.addresses.clusterIP, port, protocol } };
    }
    const vip = this.vips.get(target.ip);
    if (vip) return { entry: this.services.get(vip) as Entry, frontend: { kind: 'LoadBalancer', ip: target.ip, port, protocol } };
    const cip = target.cluster === undefined ? undefined : this.clusterIps.get(`${target.cluster}|${target.ip}`);
    if (cip) return { entry: this.services.get(cip) as Entry, frontend: { kind: 'ClusterIP', ip: target.ip, port, protocol } };
    return { outcome: 'NotAService', reason: `${target.ip} is no Service address${target.cluster ? ` in cluster ${target.cluster}` : ''}` };
  }

  private backendsOf(entry: Entry, port: ServicePort): readonly Backend[] {
    const set = this.endpointSets.get(serviceKeyString(entry.service.key));
    return set?.ports.find((p) => p.port.port === port.port && p.port.protocol === port.protocol)?.backends ?? [];
  }

  private takesTraffic(pk: string, b: Backend): boolean {
    const m = this.health.get(pk)?.get(backendKey(b));
    return m === undefined || takesTraffic(m);
  }

  /** Adds members new to the endpoints, drops departed ones, and drops all when no monitor is bound. */
  private syncHealth(ks: string, now: number): void {
    const entry = this.services.get(ks) as Entry;
    for (const port of entry.service.ports) {
      const pk = portKeyOf(entry.service.key, port);
      if (!entry.service.healthMonitor) {
        this.health.delete(pk);
        continue;
      }
      const old = this.health.get(pk) ?? new Map<string, MemberHealth>();
      const next = new Map<string, MemberHealth>();
      for (const b of this.backendsOf(entry, port)) next.set(backendKey(b), old.get(backendKey(b)) ?? newMemberHealth(now));
      this.health.set(pk, next);
    }
  }

  private *members(): Generator<{ entry: Entry; port: ServicePort; pk: string; backend: Backend; member: MemberHealth | undefined }> {
    for (const ks of [...this.services.keys()].sort()) {
      const entry = this.services.get(ks) as Entry;
      for (const port of entry.service.ports) {
        const pk = portKeyOf(entry.service.key, port);
        for (const backend of this.backendsOf(entry, port)) yield { entry, port, pk, backend, member: this.health.get(pk)?.get(backendKey(backend)) };
      }
    }
  }

  private updateMember(id: string, f: (m: MemberHealth, config: NonNullable<CompiledService['healthMonitor']>) => MemberHealth): boolean {
    const at = id.lastIndexOf('@');
    const pk = id.slice(0, at);
    const bk = id.slice(at + 1);
    const member = this.health.get(pk)?.get(bk);
    const config = this.services.get(pk.slice(0, pk.lastIndexOf('#')))?.service.healthMonitor;
    if (!member || !config) return false;
    this.health.get(pk)?.set(bk, f(member, config));
    return true;
  }

  private track(id: string, pk: string, bk: string): void {
    this.connections.set(id, { port: pk, backend: bk });
    const counts = this.table(this.counts, pk);
    counts.set(bk, (counts.get(bk) ?? 0) + 1);
  }

  private table<V>(m: Map<string, Map<string, V>>, k: string): Map<string, V> {
    let t = m.get(k);
    if (!t) m.set(k, (t = new Map<string, V>()));
    return t;
  }
}

function translated(request: ResolveRequest, svc: CompiledService, port: ServicePort, frontend: Frontend, b: Backend, pickedBy: Translated['pickedBy'], candidates: number, reason: string): Translated {
  const text = `${request.clientIp}:${request.clientPort} → ${frontend.ip}:${frontend.port}/${frontend.protocol} DNAT to ${b.ip}:${b.port} (pod ${svc.key.namespace}/${b.pod})`;
  return {
    outcome: 'Translated',
    service: svc.key,
    servicePort: portLabel(port),
    frontend,
    endpoint: b,
    translation: {
      client: { ip: request.clientIp, port: request.clientPort },
      original: { ip: frontend.ip, port: frontend.port },
      translated: { ip: b.ip, port: b.port },
      protocol: frontend.protocol,
      text,
    },
    pickedBy,
    candidates,
    reason,
  };
}
