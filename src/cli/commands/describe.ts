/** `bulkhead describe <kind> <name>`: the readable view of one object, with a VM's placement explanation. */
import type { KindDef } from '../../api/index.js';
import { resolveKind } from '../kinds.js';
import { defineCommand } from '../spec.js';

export const describeCommand = defineCommand<{ kind: KindDef; name: string }>({
  name: 'describe',
  description: 'Show one object in detail: metadata, spec, status, conditions, placement',
  args: [
    { name: 'kind', description: 'kind: plural, singular or short name', required: true },
    { name: 'name', description: 'object name', required: true },
  ],
  examples: ['bulkhead describe vm web-1', 'bulkhead describe host h-001'],
  parse: async ({ args }) => ({ kind: await resolveKind(args[0] ?? ''), name: args[1] ?? '' }),
  run: async (ctx, { kind, name }) => ({ type: 'describe', kind, object: await ctx.client().get(kind.plural, name) }),
});
