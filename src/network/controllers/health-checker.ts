/**
 * Drives the load balancer's active health monitors on the data path's clock: at the time the
 * proxy says a probe is due or overdue it expires the overdue ones, starts the due ones, runs each
 * against its member and reports the outcome, then sleeps until the next. In the simulated
 * datacenter a probe reaches a member when the pod is running and ready and (for TCP, UDP, HTTP
 * and HTTPS monitors) one of its containers listens on the probed port with that transport, which
 * is what a SYN, a datagram or a GET would find; HTTP status codes and bodies are not modelled.
 */
import { getCondition, type Pod } from '../../api/index.js';
import type { Clock, TimerHandle } from '../../clock/index.js';
import type { Informer } from '../../controllers/index.js';
import type { ProbeTarget } from '../services/index.js';
import type { NetworkState } from './network-state.js';
import { podPorts } from './pod-endpoint.js';

/** Whether a simulated probe of `t` succeeds against `pod`. */
export function probeSucceeds(t: ProbeTarget, pod: Pod | undefined): boolean {
  if (!pod || pod.status?.phase !== 'Running' || getCondition(pod.status.conditions, 'Ready')?.status !== 'True') return false;
  if (pod.status.podIP !== t.backend.ip) return false;
  if (t.type === 'ICMP') return true;
  const transport = t.type === 'UDP' ? 'UDP' : 'TCP';
  return podPorts(pod).some((p) => p.port === t.probePort && p.protocol === transport);
}

export class HealthChecker {
  private timer: TimerHandle | undefined;
  private dueAt: number | undefined;
  private stopped = false;

  constructor(
    private readonly state: NetworkState,
    private readonly clock: Clock,
    private readonly pods: Pick<Informer<Pod>, 'get'>,
  ) {}

  /** Looks again at when the next probe is due (after a Service or its endpoints changed). */
  kick(): void {
    if (this.stopped) return;
    const next = this.state.proxy.nextHealthCheckAt();
    if (next === undefined || (this.dueAt !== undefined && this.dueAt <= next)) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.dueAt = next;
    this.timer = this.clock.setTimeout(() => this.tick(), Math.max(0, next - this.clock.now()));
  }

  /** Runs what is due now, then schedules the next round. */
  tick(): void {
    this.timer = undefined;
    this.dueAt = undefined;
    if (this.stopped) return;
    const proxy = this.state.proxy;
    const now = this.clock.now();
    proxy.expireProbes(now);
    for (const t of proxy.dueProbes(now)) {
      if (!proxy.probeStarted(t.id, now)) continue;
      const pod = this.pods.get(t.backend.pod, `${t.service.cluster}/${t.service.namespace}`);
      proxy.probeFinished(t.id, probeSucceeds(t, pod), now);
    }
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
  }
}
