/**
 * `bulkhead robot create|list`: robot accounts for CI. The token is printed once, alone on stdout
 * (`docker login -u 'robot$NAME' --password-stdin`); its details go to stderr.
 */
import type { RobotPermission } from '../../api/index.js';
import { UserError } from '../errors.js';
import { optionalString, parseDurationSeconds, requiredString } from '../flags.js';
import { resolveKind } from '../kinds.js';
import { defineCommand } from '../spec.js';
import { LIST_OPTIONS, parseListInput, runGet, type GetInput } from './get.js';

/** Local copy so the CLI loads no schema code at start (the server validates too). */
const ROBOT_PERMISSIONS: readonly RobotPermission[] = ['pull', 'push', 'delete'];

/** What POST /registry/v1/robots answers; the token is shown this once. */
export interface CreatedRobot {
  readonly name: string;
  readonly username: string;
  readonly token: string;
  readonly project: string;
  readonly expiresAt?: string;
}

interface RobotCreateInput {
  readonly name: string;
  readonly project: string;
  readonly permissions: RobotPermission[];
  readonly ttlSeconds?: number;
  readonly description?: string;
}

function parsePermissions(raw: unknown): RobotPermission[] {
  const s = typeof raw === 'string' ? raw : 'pull';
  const out: RobotPermission[] = [];
  for (const p of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!(ROBOT_PERMISSIONS as readonly string[]).includes(p)) throw new UserError(`--permissions takes ${ROBOT_PERMISSIONS.join(',')}, got "${p}"`);
    out.push(p as RobotPermission);
  }
  if (out.length === 0) throw new UserError('--permissions must name at least one of pull, push, delete');
  return out;
}

export const robotCreateCommand = defineCommand<RobotCreateInput>({
  name: 'create',
  description: 'Create a robot account for one project (its token is printed once)',
  args: [{ name: 'name', description: 'robot name (a DNS label); it logs in as robot$NAME', required: true }],
  options: [
    { flags: '--project <project>', description: 'the project it works in', required: true },
    { flags: '--permissions <list>', description: 'comma-separated: pull, push, delete', default: 'pull' },
    { flags: '--ttl <duration>', description: 'lifetime, e.g. 24h or 30d (default: does not expire)' },
    { flags: '--description <text>', description: 'what it is for' },
  ],
  examples: ['bulkhead robot create ci --project acme-web --permissions pull,push --ttl 30d', "bulkhead robot create ci --project acme-web | skopeo login -u 'robot$ci' --password-stdin 127.0.0.1:8080"],
  parse: ({ args, opts }) => ({
    name: args[0] ?? '',
    project: requiredString(opts.project, '--project'),
    permissions: parsePermissions(opts.permissions),
    ...(opts.ttl !== undefined ? { ttlSeconds: parseDurationSeconds(opts.ttl, '--ttl') } : {}),
    ...(opts.description !== undefined ? { description: optionalString(opts.description, '--description') } : {}),
  }),
  run: async (ctx, input) => {
    const created = await ctx.client().request<CreatedRobot>('POST', '/registry/v1/robots', { body: input });
    if (ctx.format === 'table' || ctx.format === 'wide' || ctx.format === 'name') {
      ctx.log(`robot ${created.username} for project ${created.project}${created.expiresAt ? `, expires ${created.expiresAt}` : ', does not expire'}; the token is shown only once`);
    }
    return { type: 'message', lines: [created.token], data: created, names: [created.token] };
  },
});

export const robotListCommand = defineCommand<GetInput>({
  name: 'list',
  description: 'List robot accounts (same as `get robotaccounts`)',
  aliases: ['ls'],
  options: LIST_OPTIONS,
  examples: ['bulkhead robot list'],
  parse: async ({ opts }) => parseListInput(await resolveKind('RobotAccount'), undefined, opts),
  run: runGet,
});
