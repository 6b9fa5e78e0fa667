/**
 * `bulkhead replication run|executions|set-credential|credentials`: run a ReplicationPolicy now
 * (optionally waiting for the end, exit 1 unless it succeeded), list its executions, and keep the
 * write-only credentials policies name in `spec.remote.credentials.secretRef`. Policies themselves
 * are objects: `bulkhead apply -f policy.yaml`, `bulkhead get replicationpolicies`.
 */
import { formatDuration } from '../format.js';
import { UserError } from '../errors.js';
import { parseDurationSeconds, requiredString } from '../flags.js';
import type { Output } from '../output.js';
import { parsePasswordSource, readPassword, type PasswordSource } from '../password.js';
import { defineCommand, type Command } from '../spec.js';
import { formatTable } from '../table.js';
import { pollUntil } from '../wait.js';

const REPLICATIONS = '/registry/v1/replications';
const CREDENTIALS = '/registry/v1/replication-credentials';

/** What the executions endpoints answer (a copy, so the CLI loads no API code at start). */
export interface ExecutionView {
  readonly id: string;
  readonly trigger: string;
  readonly user: string;
  readonly state: string;
  readonly startTime: string;
  readonly endTime?: string;
  readonly total: number;
  readonly copied: number;
  readonly skipped: number;
  readonly failed: number;
  readonly deleted: number;
  readonly message?: string;
  readonly errors: readonly { readonly artifact: string; readonly error: string; readonly attempts: number }[];
}

const HEADERS = ['ID', 'TRIGGER', 'STATE', 'STARTED', 'DURATION', 'TOTAL', 'COPIED', 'UP-TO-DATE', 'DELETED', 'FAILED'];

function row(e: ExecutionView): string[] {
  const end = e.endTime ? Date.parse(e.endTime) : undefined;
  const duration = end !== undefined ? formatDuration(end - Date.parse(e.startTime)) : '-';
  return [e.id, e.trigger, e.state, e.startTime, duration, String(e.total), String(e.copied), String(e.skipped), String(e.deleted), String(e.failed)];
}

/** One execution: its row, its message, and the artifacts that failed. */
export function renderExecution(policy: string, e: ExecutionView): string[] {
  const lines = [formatTable(HEADERS, [row(e)]).trimEnd()];
  if (e.message) lines.push('', `${policy}: ${e.message}`);
  if (e.errors.length > 0) lines.push('', formatTable(['ARTIFACT', 'ATTEMPTS', 'ERROR'], e.errors.map((x) => [x.artifact, String(x.attempts), x.error])).trimEnd());
  return lines;
}

const path = (policy: string) => `${REPLICATIONS}/${encodeURIComponent(policy)}/executions`;

interface RunInput {
  readonly policy: string;
  readonly wait: boolean;
  readonly timeoutMs: number;
}

export const replicationRunCommand = defineCommand<RunInput>({
  name: 'run',
  description: 'Run a replication policy now (one execution at a time per policy)',
  args: [{ name: 'policy', description: 'the ReplicationPolicy', required: true }],
  options: [
    { flags: '--wait', description: 'wait for the execution to end; exit 1 unless it succeeded', default: false },
    { flags: '--timeout <duration>', description: 'how long --wait waits', default: '30m' },
  ],
  examples: ['bulkhead replication run to-dr-site', 'bulkhead replication run mirror-hub --wait --timeout 1h'],
  parse: ({ args, opts }) => ({ policy: args[0] ?? '', wait: opts.wait === true, timeoutMs: parseDurationSeconds(opts.timeout ?? '30m', '--timeout') * 1000 }),
  run: async (ctx, input): Promise<Output> => {
    const client = ctx.client();
    const started = await client.request<ExecutionView>('POST', path(input.policy), { body: {} });
    if (!input.wait) return { type: 'message', lines: [`execution ${started.id} of ${input.policy} started`], data: started, names: [started.id] };
    ctx.log(`execution ${started.id} of ${input.policy} started; waiting for it to end`);
    const done = await pollUntil(
      ctx,
      `execution ${started.id}`,
      input.timeoutMs,
      () => client.request<ExecutionView>('GET', `${path(input.policy)}/${encodeURIComponent(started.id)}`),
      (e) => (e && e.state !== 'Running' ? e : undefined),
    );
    return { type: 'message', lines: renderExecution(input.policy, done), data: done, names: [done.id], ...(done.state === 'Succeeded' ? {} : { exitCode: 1 }) };
  },
});

export const replicationExecutionsCommand = defineCommand<{ readonly policy: string }>({
  name: 'executions',
  description: "A replication policy's recent executions, newest first",
  aliases: ['execs'],
  args: [{ name: 'policy', description: 'the ReplicationPolicy', required: true }],
  examples: ['bulkhead replication executions to-dr-site', 'bulkhead replication executions to-dr-site -o yaml'],
  parse: ({ args }) => ({ policy: args[0] ?? '' }),
  run: async (ctx, input) => {
    const res = await ctx.client().request<{ items: ExecutionView[] }>('GET', path(input.policy));
    return { type: 'table', headers: [...HEADERS, 'MESSAGE'], rows: res.items.map((e) => [...row(e), e.message ?? '']), data: res, emptyNote: `no executions of ${input.policy} yet` };
  },
});

interface CredentialInput {
  readonly name: string;
  readonly username: string;
  readonly password: PasswordSource;
}

export const replicationSetCredentialCommand = defineCommand<CredentialInput>({
  name: 'set-credential',
  description: 'Store (or replace) a write-only registry credential for spec.remote.credentials.secretRef',
  args: [{ name: 'name', description: 'credential name (a DNS label)', required: true }],
  options: [
    { flags: '--username <user>', description: 'user name at the remote registry', required: true },
    { flags: '--password <password>', description: 'password or token (visible in the process list; prefer --password-stdin)' },
    { flags: '--password-stdin', description: 'read the password or token from stdin' },
  ],
  examples: ["echo \"$HARBOR_TOKEN\" | bulkhead replication set-credential harbor-dr --username 'robot$dr' --password-stdin"],
  parse: ({ args, opts }) => {
    const password = parsePasswordSource(opts);
    if (password.from === 'none') throw new UserError('give the password with --password-stdin (or --password)');
    return { name: args[0] ?? '', username: requiredString(opts.username, '--username'), password };
  },
  run: async (ctx, input) => {
    const password = await readPassword(ctx, input.password);
    await ctx.client().request('PUT', `${CREDENTIALS}/${encodeURIComponent(input.name)}`, { body: { username: input.username, password } });
    return { type: 'message', lines: [`credential ${input.name} stored (user ${input.username}); reference it as spec.remote.credentials.secretRef: ${input.name}`], names: [input.name] };
  },
});

export const replicationCredentialsCommand = defineCommand<Record<string, never>>({
  name: 'credentials',
  description: 'List stored replication credentials (names and users; passwords are never shown)',
  examples: ['bulkhead replication credentials'],
  parse: () => ({}),
  run: async (ctx) => {
    const res = await ctx.client().request<{ items: { name: string; username: string; createdAt?: string }[] }>('GET', CREDENTIALS);
    return { type: 'table', headers: ['NAME', 'USERNAME', 'CREATED'], rows: res.items.map((c) => [c.name, c.username, c.createdAt ?? '']), data: res, emptyNote: 'no replication credentials' };
  },
});

export const REPLICATION_COMMANDS: readonly Command[] = [replicationRunCommand, replicationExecutionsCommand, replicationSetCredentialCommand, replicationCredentialsCommand];
