/**
 * `bulkhead host maintenance NAME --enter|--exit [--wait]`: maintenance mode. Entering is refused
 * (with the reasons) when the rest of the zone cannot take the host's VMs under the placement
 * rules and the HA policy; otherwise the VMs are evacuated by live migration and `--wait` follows
 * until the host is empty. `--exit` returns it to service. (Types only from src/api: the CLI
 * loads the kind registry lazily.)
 */
import type { Host } from '../../../api/index.js';
import { ApiClient } from '../../client.js';
import { UserError } from '../../errors.js';
import { parseDurationSeconds } from '../../flags.js';
import type { Output } from '../../output.js';
import { defineCommand } from '../../spec.js';
import { pollUntil } from '../../wait.js';

export interface HostMaintenanceInput {
  readonly name: string;
  readonly enter: boolean;
  readonly wait: boolean;
  readonly timeoutSeconds: number;
}

export const hostMaintenanceCommand = defineCommand<HostMaintenanceInput>({
  name: 'maintenance',
  description: 'Put a host into maintenance mode (evacuating its VMs) or take it out',
  args: [{ name: 'name', description: 'host name', required: true }],
  options: [
    { flags: '--enter', description: 'enter maintenance mode: evacuate the running VMs by live migration' },
    { flags: '--exit', description: 'exit maintenance mode: the host takes VMs again' },
    { flags: '--wait', description: 'wait until the host is empty (--enter) or back in service (--exit)' },
    { flags: '--timeout <duration>', description: 'how long --wait waits', default: '30m' },
  ],
  examples: ['bulkhead host maintenance zone-a-host-01 --enter --wait', 'bulkhead host maintenance zone-a-host-01 --exit'],
  parse: ({ args, opts }) => {
    if ((opts.enter === true) === (opts.exit === true)) throw new UserError('give exactly one of --enter or --exit');
    return { name: args[0] ?? '', enter: opts.enter === true, wait: opts.wait === true, timeoutSeconds: parseDurationSeconds(opts.timeout, '--timeout') };
  },
  run: async (ctx, input): Promise<Output> => {
    const client = ctx.client();
    const id = `host/${input.name}`;
    const host = await client.get<Host>('hosts', input.name);
    let updated = host;
    if ((host.spec?.maintenance === true) !== input.enter) {
      updated = await client.replace<Host>('hosts', input.name, { ...host, spec: { ...host.spec, maintenance: input.enter } });
    }
    const verb = input.enter ? 'entering maintenance mode' : 'back in service';
    if (!input.wait) return { type: 'message', lines: [`${id} ${verb}`], data: updated, names: [id] };
    if (input.enter) ctx.log(`${id} entering maintenance mode; evacuating...`);
    let last = '';
    const done = await pollUntil(ctx, `${id} ${input.enter ? 'to be evacuated' : 'to be back in service'}`, input.timeoutSeconds * 1000, () => client.get<Host>('hosts', input.name), (h) => {
      if (!h) throw new UserError(`${id} disappeared while waiting for it`);
      const c = h.status?.conditions?.find((x) => x.type === 'Maintenance');
      const line = input.enter && c ? c.message : `state ${h.status?.state ?? '?'}`;
      if (line !== last) ctx.log(`${id}: ${line}`);
      last = line;
      if (input.enter) return c?.status === 'True' ? h : undefined;
      return h.status?.state === 'Ready' || h.status?.state === 'NotReady' || h.status?.state === 'Failed' ? h : undefined;
    });
    return { type: 'message', lines: [input.enter ? `${id} is in maintenance mode: no VM runs on it` : `${id} is back in service (state ${done.status?.state ?? '?'})`], data: done, names: [id] };
  },
});

export const hostIsolateCommand = defineCommand<{ name: string }>({
  name: 'isolate',
  description: 'Inject a network isolation: the host and its VMs keep running, its management network goes silent (recover with `host recover`)',
  args: [{ name: 'name', description: 'host name', required: true }],
  examples: ['bulkhead host isolate zone-a-host-02', 'bulkhead host recover zone-a-host-02'],
  parse: ({ args }) => ({ name: args[0] ?? '' }),
  run: async (ctx, { name }): Promise<Output> => {
    const host = await ctx.client().request<Host>('POST', `${ApiClient.path('hosts', name)}/isolate`, { body: {} });
    return { type: 'message', lines: [`host/${name} isolated: its management network is silent, its VMs keep running`], data: host, names: [`host/${name}`] };
  },
});
