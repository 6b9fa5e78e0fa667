/** `bulkhead delete <kind> <name> [--wait]`: delete one object, optionally until it is gone. */
import type { KindDef } from '../../api/index.js';
import { parseDurationSeconds } from '../flags.js';
import { qualifiedName, resolveKind } from '../kinds.js';
import { defineCommand } from '../spec.js';
import { pollUntil } from '../wait.js';

interface DeleteInput {
  readonly kind: KindDef;
  readonly name: string;
  readonly wait: boolean;
  readonly timeoutSeconds: number;
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
  ],
  examples: ['bulkhead delete vm web-1', 'bulkhead delete zone zone-b --wait'],
  parse: async ({ args, opts }) => ({
    kind: await resolveKind(args[0] ?? ''),
    name: args[1] ?? '',
    wait: opts.wait === true,
    timeoutSeconds: parseDurationSeconds(opts.timeout, '--timeout'),
  }),
  run: async (ctx, { kind, name, wait, timeoutSeconds }) => {
    const client = ctx.client();
    const obj = await client.delete(kind.plural, name);
    const id = qualifiedName(kind, name);
    if (wait) {
      ctx.log(`waiting for ${id} to be gone...`);
      await pollUntil(ctx, `${id} to be deleted`, timeoutSeconds * 1000, () => client.get(kind.plural, name), (v) => (v === undefined ? true : undefined));
    }
    return { type: 'message', lines: [`${id} deleted`], data: obj, names: [id] };
  },
});
