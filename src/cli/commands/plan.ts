/** `bulkhead plan list`: the cluster plans every user may choose from (PKS `tkgi plans`). */
import { resolveKind } from '../kinds.js';
import { defineCommand } from '../spec.js';
import { LIST_OPTIONS, parseListInput, runGet, type GetInput } from './get.js';

export const planListCommand = defineCommand<GetInput>({
  name: 'list',
  description: 'List cluster plans (same as `get plans`)',
  aliases: ['ls'],
  options: LIST_OPTIONS,
  examples: ['bulkhead plan list', 'bulkhead plan list -o wide'],
  parse: async ({ opts }) => parseListInput(await resolveKind('Plan'), undefined, opts),
  run: runGet,
});
