/** `bulkhead host list|fail|recover`: hosts, and fault injection on the simulated datacenter. */
import type { Host } from '../../api/index.js';
import { ApiClient } from '../client.js';
import { qualifiedName, resolveKind } from '../kinds.js';
import { defineCommand, type Command } from '../spec.js';
import { LIST_OPTIONS, parseListInput, runGet, type GetInput } from './get.js';

const hostKind = () => resolveKind('Host');

export const hostListCommand = defineCommand<GetInput>({
  name: 'list',
  description: 'List hosts (same as `get hosts`)',
  aliases: ['ls'],
  options: LIST_OPTIONS,
  examples: ['bulkhead host list', 'bulkhead host list -o wide'],
  parse: async ({ opts }) => parseListInput(await hostKind(), undefined, opts),
  run: runGet,
});

function faultCommand(action: 'fail' | 'recover', description: string, done: string): Command {
  return defineCommand<{ name: string }>({
    name: action,
    description,
    args: [{ name: 'name', description: 'host name', required: true }],
    examples: [`bulkhead host ${action} h-001`],
    parse: ({ args }) => ({ name: args[0] ?? '' }),
    run: async (ctx, { name }) => {
      const def = await hostKind();
      const host = await ctx.client().request<Host>('POST', `${ApiClient.path(def.plural, name)}/fault`, { body: { action } });
      const id = qualifiedName(def, name);
      const state = host.status?.state;
      return { type: 'message', lines: [`${id} ${done}${state ? ` (state ${state})` : ''}`], data: host, names: [id] };
    },
  });
}

export const hostFailCommand = faultCommand('fail', 'Inject a host crash (simulated datacenter)', 'failed');
export const hostRecoverCommand = faultCommand('recover', 'Bring a failed host back, or reconnect an isolated one', 'recovered');
