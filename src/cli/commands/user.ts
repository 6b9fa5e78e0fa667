/** `bulkhead user create|list`: local accounts; create also sets the password when one is given. */
import type { User, UserSpec } from '../../api/index.js';
import { optionalString, stringList } from '../flags.js';
import { qualifiedName, resolveKind } from '../kinds.js';
import { parsePasswordSource, readPassword, type PasswordSource } from '../password.js';
import { defineCommand } from '../spec.js';
import { LIST_OPTIONS, parseListInput, runGet, type GetInput } from './get.js';

const userKind = () => resolveKind('User');

interface UserCreateInput {
  readonly name: string;
  readonly spec: UserSpec;
  readonly password: PasswordSource;
}

export const userCreateCommand = defineCommand<UserCreateInput>({
  name: 'create',
  description: 'Create a local user, optionally with a password',
  args: [{ name: 'name', description: 'user name (a DNS label)', required: true }],
  options: [
    { flags: '--password <password>', description: 'password (visible in the process list; prefer --password-stdin)' },
    { flags: '--password-stdin', description: 'read the password from stdin' },
    { flags: '--display-name <name>', description: 'human-readable name' },
    { flags: '--group <group>', description: 'group membership (repeatable)', repeatable: true },
  ],
  examples: ['echo "$PW" | bulkhead user create alice --password-stdin --group operators', 'bulkhead user create bob --display-name "Bob B."'],
  parse: ({ args, opts }) => {
    const displayName = optionalString(opts.displayName, '--display-name');
    const groups = stringList(opts.group);
    const spec: UserSpec = { ...(displayName ? { displayName } : {}), ...(groups.length ? { groups } : {}) };
    return { name: args[0] ?? '', spec, password: parsePasswordSource(opts) };
  },
  run: async (ctx, input) => {
    const def = await userKind();
    const password = await readPassword(ctx, input.password);
    const client = ctx.client();
    const body: User = { apiVersion: def.apiVersion, kind: def.kind, metadata: { name: input.name }, spec: input.spec };
    const user = await client.create<User>(def.plural, body);
    const id = qualifiedName(def, input.name);
    if (password !== undefined) {
      await client.request('PUT', `/auth/users/${encodeURIComponent(input.name)}/password`, { body: { password } });
    }
    return { type: 'message', lines: [`${id} created${password !== undefined ? ' with a password' : ''}`], data: user, names: [id] };
  },
});

export const userListCommand = defineCommand<GetInput>({
  name: 'list',
  description: 'List users (same as `get users`)',
  aliases: ['ls'],
  options: LIST_OPTIONS,
  examples: ['bulkhead user list'],
  parse: async ({ opts }) => parseListInput(await userKind(), undefined, opts),
  run: runGet,
});

