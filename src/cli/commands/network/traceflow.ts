/**
 * `bulkhead -c CLUSTER traceflow --from ns/pod --to ns/pod|IP --port N [--protocol P]`: asks the
 * server what happens to that connection and prints the hops (source segment, load balancer
 * translation, firewall tier/policy/rule per side, destination) and the verdict with the rule that
 * decided it. Exit 0 when delivered, 2 when dropped or rejected (1 stays "the command failed").
 */
import type { Traceflow } from '../../../network/index.js';
import { UserError } from '../../errors.js';
import { optionalPositiveInt, requiredString } from '../../flags.js';
import { defineCommand } from '../../spec.js';
import { formatTable } from '../../table.js';
import { splitNamespacedName } from '../../workloads.js';

/** Exit code of a trace whose connection is not delivered. */
export const NOT_DELIVERED_EXIT = 2;

const PROTOCOL_CHOICES = ['TCP', 'UDP', 'SCTP'] as const;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

interface TraceflowInput {
  readonly cluster: string;
  readonly body: Record<string, unknown>;
}

function port(raw: unknown, flag: string): number | undefined {
  const n = optionalPositiveInt(raw, flag);
  if (n !== undefined && n > 65535) throw new UserError(`${flag} must be between 1 and 65535, got ${n}`);
  return n;
}

/** The lines `traceflow` prints for a result. */
export function renderTraceflow(tf: Traceflow): string[] {
  const s = tf.status;
  const to = 'ip' in tf.spec.destination ? tf.spec.destination.ip : `${tf.spec.destination.namespace}/${tf.spec.destination.pod}`;
  const rows = s.hops.map((h, i) => [String(i + 1), h.component + (h.direction ? ` (${h.direction.toLowerCase()})` : ''), h.action, h.detail]);
  return [
    `Traceflow in cluster ${tf.metadata.cluster}: ${tf.spec.source.namespace}/${tf.spec.source.pod} -> ${to} port ${tf.spec.port}/${tf.spec.protocol}${tf.spec.liveTraffic ? ' (live traffic)' : ''}`,
    '',
    ...formatTable(['HOP', 'COMPONENT', 'ACTION', 'DETAIL'], rows).trimEnd().split('\n'),
    '',
    `Verdict: ${s.verdict}`,
    `Reason:  ${s.reason}`,
  ];
}

export const traceflowCommand = defineCommand<TraceflowInput>({
  name: 'traceflow',
  description: 'Trace a connection from a pod: the hops it takes and the rule that allows or drops it',
  options: [
    { flags: '--from <pod>', description: 'source pod, ns/pod (or pod with -n)', required: true },
    { flags: '--to <target>', description: 'destination: ns/pod, or an IP (ClusterIP, LoadBalancer VIP, pod IP, external)', required: true },
    { flags: '--port <port>', description: 'destination port', required: true },
    { flags: '--protocol <protocol>', description: 'transport protocol: TCP (default), UDP or SCTP' },
    { flags: '--source-port <port>', description: 'client port shown in the NAT (default 40000)' },
    { flags: '--live', description: 'open a real connection through the load balancer (moves round robin, records ClientIP affinity)' },
    { flags: '-n, --namespace <namespace>', description: 'namespace of pods given without ns/ (default "default")' },
  ],
  examples: [
    'bulkhead -c web traceflow --from shop/web-7d9f --to shop/api-5c2x --port 8080',
    'bulkhead -c web traceflow --from shop/web-7d9f --to 10.96.0.12 --port 80',
    'bulkhead -c web traceflow --from shop/web-7d9f --to 198.18.0.4 --port 443 --protocol TCP -o json',
  ],
  parse: ({ opts }) => {
    const ns = typeof opts.namespace === 'string' ? opts.namespace : undefined;
    const from = splitNamespacedName(requiredString(opts.from, '--from'), ns);
    const to = requiredString(opts.to, '--to');
    const dst = IPV4.test(to) ? { ip: to } : ((t) => ({ namespace: t.ns, pod: t.name }))(splitNamespacedName(to, ns));
    const sourcePort = port(opts.sourcePort, '--source-port');
    const protocol = String(opts.protocol ?? 'TCP').toUpperCase();
    if (!(PROTOCOL_CHOICES as readonly string[]).includes(protocol)) throw new UserError(`--protocol must be one of ${PROTOCOL_CHOICES.join(', ')}, got "${String(opts.protocol)}"`);
    return {
      cluster: '',
      body: {
        source: { namespace: from.ns, pod: from.name },
        destination: dst,
        port: port(opts.port, '--port'),
        protocol,
        ...(sourcePort !== undefined ? { sourcePort } : {}),
        liveTraffic: opts.live === true,
      },
    };
  },
  run: async (ctx, input) => {
    const cluster = ctx.globals.cluster;
    if (!cluster) throw new UserError('traceflow runs inside a cluster: add -c CLUSTER (e.g. bulkhead -c web traceflow --from ns/pod --to ns/pod --port 80)');
    const tf = await ctx.client().request<Traceflow>('POST', `/clusters/${encodeURIComponent(cluster)}/traceflow`, { body: input.body });
    return { type: 'message', lines: renderTraceflow(tf), data: tf, names: [`traceflow/${tf.status.verdict.toLowerCase()}`], ...(tf.status.verdict === 'Delivered' ? {} : { exitCode: NOT_DELIVERED_EXIT }) };
  },
});
