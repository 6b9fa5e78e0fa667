/** `bulkhead delete <kind> <name> [--wait]`: delete one object, optionally until it is gone. */
import type { KindDef } from '../../api/index.js';
import { parseDurationSeconds } from '../flags.js';
import { optionalString } from '../flags.js';
import { qualifiedName } from '../kinds.js';
import { NAMESPACE_OPTIONS, requireCluster, resolveAnyKind, splitNamespacedName, workloadPath } from '../workloads.js';
import { defineCommand } from '../spec.js';
import { pollUntil } from '../wait.js';

interface DeleteInput {
  readonly kind: KindDef;
  readonly name: string;
  readonly wait: boolean;
  readonly timeoutSeconds: number;
  readonly workload: boolean;
  readonly namespace?: string;
}

export const deleteCommand = defineCommand<DeleteInput>({
  name: 'delete',
  description: 'Delete an object',
  args: [
    { name: 'kind', description: 'kind: plural, singular or short name', required: true },
    { name: 'name', description: 'object name', required: true },
  ],
  options: [
    { flags: '--wait', description: 'wait until the object is gone (finalizers done)' },
    { flags: '--timeout <duration>', description: 'how long --wait waits', default: '5m' },
    NAMESPACE_OPTIONS[0],
  ],
  examples: ['bulkhead delete vm web-1', 'bulkhead delete zone zone-b --wait', 'bulkhead -c web delete deployment api -n shop'],
  parse: async ({ args, opts }) => {
    const k = await resolveAnyKind(args[0] ?? '');
    return {
      kind: k.def,
      name: args[1] ?? '',
      wait: opts.wait === true,
      timeoutSeconds: parseDurationSeconds(opts.timeout, '--timeout'),
      workload: k.workload,
      namespace: optionalString(opts.namespace, '--namespace'),
    };
  },
  run: async (ctx, { kind, name, wait, timeoutSeconds, workload, namespace }) => {
    const client = ctx.client();
    if (workload) {
      const cluster = requireCluster(ctx.globals.cluster, kind);
      const t = kind.kind === 'Namespace' ? { ns: undefined, name } : splitNamespacedName(name, namespace);
      const obj = await client.request('DELETE', workloadPath(cluster, kind, t.ns ?? 'default', t.name));
      const id = qualifiedName(kind, t.name);
      return { type: 'message', lines: [`${id} deleted`], data: obj, names: [id] };
    }
    const obj = await client.delete(kind.plural, name);
    const id = qualifiedName(kind, name);
    if (wait) {
      ctx.log(`waiting for ${id} to be gone...`);
      await pollUntil(ctx, `${id} to be deleted`, timeoutSeconds * 1000, () => client.get(kind.plural, name), (v) => (v === undefined ? true : undefined));
    }
    return { type: 'message', lines: [`${id} deleted`], data: obj, names: [id] };
  },
});
