/**
 * `bulkhead login`: exchange a username and password for a token (or take a token as given) and
 * save server, token and user to the config file (mode 0600).
 */
import { saveConfig } from '../config.js';
import { ConnectionError } from '../client.js';
import { UserError } from '../errors.js';
import { optionalPositiveInt, optionalString } from '../flags.js';
import { parsePasswordSource, readPassword, type PasswordSource } from '../password.js';
import { defineCommand } from '../spec.js';
import type { WhoAmI } from './whoami.js';

interface LoginInput {
  readonly username?: string;
  readonly password: PasswordSource;
  readonly ttlSeconds?: number;
}

interface LoginAnswer {
  readonly token: string;
  readonly expiresAt?: string;
  readonly user: string;
}

export const loginCommand = defineCommand<LoginInput>({
  name: 'login',
  description: 'Log in and save the server and token to the config file',
  options: [
    { flags: '-u, --username <user>', description: 'user name' },
    { flags: '--password <password>', description: 'password (visible in the process list; prefer --password-stdin)' },
    { flags: '--password-stdin', description: 'read the password from stdin' },
    { flags: '--ttl-seconds <n>', description: 'ask for a token with this lifetime' },
  ],
  examples: [
    'echo "$PW" | bulkhead login --server http://10.0.0.5:8080 --username admin --password-stdin',
    'bulkhead login --token "$TOKEN"',
  ],
  parse: ({ opts }) => ({
    username: optionalString(opts.username, '--username'),
    password: parsePasswordSource(opts),
    ttlSeconds: optionalPositiveInt(opts.ttlSeconds, '--ttl-seconds'),
  }),
  run: async (ctx, input) => {
    const { server } = ctx.connection();
    if (input.username === undefined) {
      // `login --token T`: keep the token as given; learn the user name when the server answers.
      const token = ctx.globals.token;
      if (!token) throw new UserError('give --username (with --password or --password-stdin) or --token');
      let user: string | undefined;
      try {
        user = (await ctx.client({ timeoutMs: 5000 }).request<WhoAmI>('GET', '/auth/whoami')).user;
      } catch (e) {
        if (!(e instanceof ConnectionError)) throw e;
        ctx.log(`warning: ${e.message}; saving the token unchecked`);
      }
      saveConfig(ctx.configPath, { server, token, ...(user ? { user } : {}) });
      return { type: 'message', lines: [`logged in to ${server}${user ? ` as ${user}` : ''}`], data: { server, user } };
    }
    const password = await readPassword(ctx, input.password);
    if (password === undefined) throw new UserError('--password or --password-stdin is required with --username');
    const answer = await ctx.client({ anonymous: true }).request<LoginAnswer>('POST', '/auth/login', {
      body: { username: input.username, password, ...(input.ttlSeconds ? { ttlSeconds: input.ttlSeconds } : {}) },
    });
    const user = answer.user || input.username;
    saveConfig(ctx.configPath, { server, token: answer.token, user });
    ctx.log(`saved to ${ctx.configPath}${answer.expiresAt ? `; the token expires ${answer.expiresAt}` : ''}`);
    return { type: 'message', lines: [`logged in to ${server} as ${user}`], data: { server, user, expiresAt: answer.expiresAt } };
  },
});
