/**
 * `bulkhead token create`: mint a bearer token. The secret alone goes to stdout, so
 * `export BULKHEAD_TOKEN=$(bulkhead token create)` works; its details go to stderr.
 */
import { optionalString, parseDurationSeconds } from '../flags.js';
import { defineCommand } from '../spec.js';

/** The server's answer: the secret is shown this once. */
export interface CreatedToken {
  readonly name: string;
  readonly token: string;
  readonly user: string;
  readonly expiresAt?: string;
}

interface TokenCreateInput {
  readonly user?: string;
  readonly description?: string;
  readonly ttlSeconds?: number;
}

export const tokenCreateCommand = defineCommand<TokenCreateInput>({
  name: 'create',
  description: 'Create a bearer token (printed once, alone on stdout)',
  options: [
    { flags: '--user <user>', description: 'owner (default: yourself; others need permission)' },
    { flags: '--description <text>', description: 'what the token is for' },
    { flags: '--ttl <duration>', description: 'lifetime, e.g. 30m, 24h, 90d (default: the server decides)' },
  ],
  examples: ['export BULKHEAD_TOKEN=$(bulkhead token create --ttl 24h)', 'bulkhead token create --user ci --description "CI pipeline" --ttl 90d'],
  parse: ({ opts }) => ({
    user: optionalString(opts.user, '--user'),
    description: optionalString(opts.description, '--description'),
    ttlSeconds: opts.ttl === undefined ? undefined : parseDurationSeconds(opts.ttl, '--ttl'),
  }),
  run: async (ctx, input) => {
    const created = await ctx.client().request<CreatedToken>('POST', '/auth/tokens', {
      body: { user: input.user, description: input.description, ttlSeconds: input.ttlSeconds },
    });
    if (ctx.format === 'table' || ctx.format === 'wide' || ctx.format === 'name') {
      ctx.log(`token ${created.name} for user ${created.user}${created.expiresAt ? `, expires ${created.expiresAt}` : ', does not expire'}; it is shown only once`);
    }
    return { type: 'message', lines: [created.token], data: created, names: [created.token] };
  },
});
