/**
 * `bulkhead top hosts|vms|pods|containers|zones|tenants|pools [--zone Z]` (with `-c CLUSTER` for
 * one cluster's VMs, pods and containers): CPU and memory demand, entitlement under contention,
 * usage, CPU ready and ballooning, per level, with the total line (for administrators: every
 * host's). Figures are the server's last computation, at most one 20 s sample of simulated time old.
 */
import type { TopLevel, TopView } from '../../../balance/http/top-view.js';
import { optionalString } from '../../flags.js';
import type { Output } from '../../output.js';
import { defineCommand, type Command } from '../../spec.js';
import { topTable } from './top-table.js';

const DESCRIPTIONS: Readonly<Record<TopLevel, string>> = {
  hosts: 'Usage per host (capacity, demand, entitlement, used, ready, balloon/swap)',
  vms: 'Usage per VM, with its pool and the entitlement it gets under contention',
  pods: 'Usage per pod inside its node VM (CFS shares), as kubectl top pods',
  containers: 'Usage per container inside its node VM',
  zones: 'Usage per zone',
  tenants: 'Usage per tenant',
  pools: 'Entitlement and usage per resource pool (zone roots included)',
};

interface TopInput {
  readonly zone?: string;
}

function topCommand(level: TopLevel): Command {
  return defineCommand<TopInput>({
    name: level,
    description: DESCRIPTIONS[level],
    options: [{ flags: '--zone <zone>', description: 'only this zone' }],
    examples: [`bulkhead top ${level}`, ...(level === 'pods' || level === 'vms' ? [`bulkhead -c web top ${level}`] : [`bulkhead top ${level} --zone zone-a -o json`])],
    parse: ({ opts }) => {
      const zone = optionalString(opts.zone, '--zone');
      return zone !== undefined ? { zone } : {};
    },
    run: async (ctx, input): Promise<Output> => {
      const cluster = ctx.globals.cluster;
      const view = await ctx.client().request<TopView>('GET', `/top/v1/${level}`, { query: { cluster, zone: input.zone } });
      const { headers, rows } = topTable(view, cluster === undefined);
      return { type: 'table', headers, rows, data: view, emptyNote: `No ${level} with usage${cluster ? ` in cluster ${cluster}` : ''}.` };
    },
  });
}

export const TOP_COMMANDS: readonly Command[] = (['hosts', 'vms', 'pods', 'containers', 'zones', 'tenants', 'pools'] as const).map(topCommand);
