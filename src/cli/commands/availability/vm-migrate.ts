/**
 * `bulkhead vm migrate NAME [--to HOST] [--wait]`: live-migrates a VM (a VmMigration). Without
 * `--to` the scheduler picks the destination. `--wait` follows the migration, a real operation
 * whose duration is the pre-copy model's, and prints its rounds, total time and stun time.
 */
import type { VmMigration } from '../../../api/index.js';
import { ApiClient } from '../../client.js';
import { UserError } from '../../errors.js';
import { optionalString, parseDurationSeconds } from '../../flags.js';
import type { Output } from '../../output.js';
import { defineCommand } from '../../spec.js';
import { pollUntil } from '../../wait.js';

export interface VmMigrateInput {
  readonly name: string;
  readonly to: string | undefined;
  readonly wait: boolean;
  readonly timeoutSeconds: number;
}

/** One line for a finished migration. */
export function migrationSummary(m: VmMigration): string {
  const s = m.status;
  if (s?.phase !== 'Succeeded') return s?.message ?? `${m.metadata.name} ${s?.phase ?? 'Pending'}`;
  return `${m.spec?.vm ?? '?'} moved from ${s.fromHost ?? '?'} to ${s.toHost ?? '?'} in ${((s.totalMs ?? 0) / 1000).toFixed(1)} s (${s.rounds ?? 0} pre-copy rounds, stun ${s.stunMs ?? 0} ms, ${s.transferredMiB ?? 0} MiB sent)`;
}

export const vmMigrateCommand = defineCommand<VmMigrateInput>({
  name: 'migrate',
  description: 'Live-migrate a VM to another host (vMotion)',
  args: [{ name: 'name', description: 'VM name', required: true }],
  options: [
    { flags: '--to <host>', description: 'destination host (default: the scheduler picks one in the same zone)' },
    { flags: '--wait', description: 'wait until the migration has finished' },
    { flags: '--timeout <duration>', description: 'how long --wait waits', default: '10m' },
  ],
  examples: ['bulkhead vm migrate web-1 --to zone-a-host-03 --wait', 'bulkhead vm migrate web-1'],
  parse: ({ args, opts }) => ({ name: args[0] ?? '', to: optionalString(opts.to, '--to'), wait: opts.wait === true, timeoutSeconds: parseDurationSeconds(opts.timeout, '--timeout') }),
  run: async (ctx, input): Promise<Output> => {
    const client = ctx.client();
    const path = `${ApiClient.path('virtualmachines', input.name)}/migrate`;
    const created = await client.request<VmMigration>('POST', path, { body: input.to === undefined ? {} : { toHost: input.to } });
    const id = `vmmigration/${created.metadata.name}`;
    if (!input.wait) return { type: 'message', lines: [`${id} created: migrating ${input.name}${input.to ? ` to ${input.to}` : ''}`], data: created, names: [id] };
    let last = '';
    const done = await pollUntil(ctx, `${id} to finish`, input.timeoutSeconds * 1000, () => client.get<VmMigration>('vmmigrations', created.metadata.name), (m) => {
      if (!m) throw new UserError(`${id} was deleted while waiting for it`);
      const line = `${m.status?.phase ?? 'Pending'}${m.status?.toHost ? ` -> ${m.status.toHost}` : ''}`;
      if (line !== last) ctx.log(`${id}: ${line}`);
      last = line;
      return m.status?.phase === 'Succeeded' || m.status?.phase === 'Failed' ? m : undefined;
    });
    if (done.status?.phase === 'Failed') throw new UserError(`${id} failed: ${done.status.message ?? 'no reason given'}`);
    return { type: 'message', lines: [`${id} succeeded: ${migrationSummary(done)}`], data: done, names: [id] };
  },
});
