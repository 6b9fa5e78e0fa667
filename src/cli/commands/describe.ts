/** `bulkhead describe <kind> <name>`: the readable view of one object, with a VM's or a pod's placement explanation. */
import type { KindDef } from '../../api/index.js';
import { optionalString } from '../flags.js';
import { defineCommand } from '../spec.js';
import { NAMESPACE_OPTIONS, requireCluster, resolveAnyKind, splitNamespacedName, workloadPath } from '../workloads.js';

interface DescribeInput {
  readonly kind: KindDef;
  readonly name: string;
  readonly workload: boolean;
  readonly namespace?: string;
}

export const describeCommand = defineCommand<DescribeInput>({
  name: 'describe',
  description: 'Show one object in detail: metadata, spec, status, conditions, placement',
  args: [
    { name: 'kind', description: 'kind: plural, singular or short name', required: true },
    { name: 'name', description: 'object name (for workload kinds: name with -n, or namespace/name)', required: true },
  ],
  options: [NAMESPACE_OPTIONS[0]],
  examples: ['bulkhead describe vm web-1', 'bulkhead describe host h-001', 'bulkhead -c web describe pod shop/api-7x2k'],
  parse: async ({ args, opts }) => {
    const k = await resolveAnyKind(args[0] ?? '');
    return { kind: k.def, name: args[1] ?? '', workload: k.workload, namespace: optionalString(opts.namespace, '--namespace') };
  },
  run: async (ctx, { kind, name, workload, namespace }) => {
    if (!workload) return { type: 'describe', kind, object: await ctx.client().get(kind.plural, name) };
    const cluster = requireCluster(ctx.globals.cluster, kind);
    const target = kind.kind === 'Namespace' ? { ns: undefined, name } : splitNamespacedName(name, namespace);
    return { type: 'describe', kind, object: await ctx.client().request('GET', workloadPath(cluster, kind, target.ns ?? 'default', target.name)) };
  },
});
