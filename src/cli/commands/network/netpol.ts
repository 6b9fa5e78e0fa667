/**
 * `bulkhead netpol ...`: network policy views. `matrix` prints which pods of a namespace may open
 * connections to which, per port (upstream's netpol truth table: rows from, columns to, `.`
 * allowed, `X` denied); `builtins` lists the built-in tenant isolation policies (administrators).
 */
import type { MatrixTable } from '../../../network/index.js';
import { UserError } from '../../errors.js';
import { optionalString, stringList } from '../../flags.js';
import { defineCommand } from '../../spec.js';

interface MatrixInput {
  readonly namespace?: string;
  readonly ports: readonly number[];
  readonly protocol: string;
}

interface MatrixReply {
  readonly cluster: string;
  readonly namespace?: string;
  readonly tables: readonly MatrixTable[];
}

/** The lines `netpol matrix` prints. */
export function renderMatrix(m: MatrixReply): string[] {
  const where = `cluster ${m.cluster}${m.namespace ? `, namespace ${m.namespace}` : ''}`;
  if (m.tables.every((t) => t.pods.length === 0)) return [`No pods on the network in ${where}.`];
  return m.tables.flatMap((t, i) => [
    ...(i > 0 ? [''] : []),
    `${t.port}/${t.protocol} in ${where}: ${t.summary.allowed} allowed, ${t.summary.denied} denied (rows: from, columns: to; . allowed, X denied)`,
    ...t.text.split('\n'),
  ]);
}

export const netpolMatrixCommand = defineCommand<MatrixInput>({
  name: 'matrix',
  description: 'Allowed/denied table between the pods of a namespace, per port',
  options: [
    { flags: '-n, --namespace <namespace>', description: 'namespace (default "default")' },
    { flags: '-A, --all-namespaces', description: 'every namespace of the cluster' },
    { flags: '--port <port>', description: 'destination port (repeatable; default: the ports the pods expose)', repeatable: true },
    { flags: '--protocol <protocol>', description: 'transport protocol: TCP (default), UDP or SCTP' },
  ],
  examples: ['bulkhead -c web netpol matrix -n shop', 'bulkhead -c web netpol matrix -n shop --port 80 --port 443', 'bulkhead -c web netpol matrix -A --port 8080 -o json'],
  parse: ({ opts }) => {
    const ports = stringList(opts.port).flatMap((p) => p.split(',')).map((p) => {
      const n = Number(p);
      if (!/^\d+$/.test(p.trim()) || n < 1 || n > 65535) throw new UserError(`--port must be between 1 and 65535, got "${p}"`);
      return n;
    });
    const namespace = opts.allNamespaces === true ? undefined : (optionalString(opts.namespace, '--namespace') ?? 'default');
    const protocol = String(opts.protocol ?? 'TCP').toUpperCase();
    if (!['TCP', 'UDP', 'SCTP'].includes(protocol)) throw new UserError(`--protocol must be one of TCP, UDP, SCTP, got "${String(opts.protocol)}"`);
    return { ...(namespace !== undefined ? { namespace } : {}), ports, protocol };
  },
  run: async (ctx, input) => {
    const cluster = ctx.globals.cluster;
    if (!cluster) throw new UserError('netpol matrix runs inside a cluster: add -c CLUSTER (e.g. bulkhead -c web netpol matrix -n shop)');
    const reply = await ctx.client().request<MatrixReply>('GET', `/clusters/${encodeURIComponent(cluster)}/netpol/matrix`, {
      query: { namespace: input.namespace, port: input.ports.length > 0 ? input.ports.join(',') : undefined, protocol: input.protocol },
    });
    return { type: 'message', lines: renderMatrix(reply), data: reply };
  },
});

interface BuiltinList {
  readonly items: readonly { metadata: { name: string }; spec: { tier: string; priority: number; appliedTo: { tenants?: readonly string[] }; description?: string } }[];
}

export const netpolBuiltinsCommand = defineCommand<Record<string, never>>({
  name: 'builtins',
  description: 'The built-in admin policies (one tenant isolation policy per tenant)',
  examples: ['bulkhead netpol builtins', 'bulkhead netpol builtins -o yaml'],
  parse: () => ({}),
  run: async (ctx) => {
    const list = await ctx.client().request<BuiltinList>('GET', '/network/v1/builtin-policies');
    const rows = list.items.map((p) => [p.metadata.name, p.spec.tier, String(p.spec.priority), (p.spec.appliedTo.tenants ?? []).join(','), p.spec.description ?? '']);
    return { type: 'table', headers: ['NAME', 'TIER', 'PRIORITY', 'TENANT', 'DESCRIPTION'], rows, data: list, emptyNote: 'No built-in policies (no tenants yet).' };
  },
});
