/**
 * `bulkhead project create|list|member add`: registry projects. A project is a tenant's namespace
 * of repositories (`<project>/<repo>`), private unless `--public`, with optional quotas and
 * members holding Harbor's roles.
 */
import type { Project, ProjectMember, ProjectRole, ProjectSpec } from '../../api/index.js';
import { UserError } from '../errors.js';
import { optionalPositiveInt, optionalString, requiredString } from '../flags.js';
import { qualifiedName, resolveKind } from '../kinds.js';
import type { Output } from '../output.js';
import { defineCommand } from '../spec.js';
import { LIST_OPTIONS, parseListInput, runGet, type GetInput } from './get.js';

const projectKind = () => resolveKind('Project');

// Kept here rather than imported: `bulkhead` loads no schema code until a command needs it (the
// server validates roles anyway).
const PROJECT_ROLES: readonly ProjectRole[] = ['projectAdmin', 'maintainer', 'developer', 'guest', 'limitedGuest'];
const isProjectRole = (s: string): s is ProjectRole => (PROJECT_ROLES as readonly string[]).includes(s);

interface ProjectCreateInput {
  readonly name: string;
  readonly spec: ProjectSpec;
}

export const projectCreateCommand = defineCommand<ProjectCreateInput>({
  name: 'create',
  description: 'Create a registry project',
  args: [{ name: 'name', description: 'project name (a DNS label; the first part of repository names)', required: true }],
  options: [
    { flags: '--tenant <tenant>', description: 'owning tenant', required: true },
    { flags: '--public', description: 'anyone may pull, without logging in' },
    { flags: '--quota-bytes <n>', description: 'storage quota in bytes (each blob counted once)' },
    { flags: '--quota-artifacts <n>', description: 'maximum number of manifests' },
    { flags: '--description <text>', description: 'what the project holds' },
  ],
  examples: ['bulkhead project create acme-web --tenant acme', 'bulkhead project create library --tenant acme --public --quota-bytes 10737418240'],
  parse: ({ args, opts }) => {
    const storageBytes = optionalPositiveInt(opts.quotaBytes, '--quota-bytes', { allowZero: true });
    const artifacts = optionalPositiveInt(opts.quotaArtifacts, '--quota-artifacts', { allowZero: true });
    const description = optionalString(opts.description, '--description');
    const spec: ProjectSpec = {
      tenant: requiredString(opts.tenant, '--tenant'),
      public: opts.public === true,
      ...(storageBytes !== undefined || artifacts !== undefined
        ? { quota: { ...(storageBytes !== undefined ? { storageBytes } : {}), ...(artifacts !== undefined ? { artifacts } : {}) } }
        : {}),
      ...(description !== undefined ? { description } : {}),
    };
    return { name: args[0] ?? '', spec };
  },
  run: async (ctx, input): Promise<Output> => {
    const def = await projectKind();
    const body: Project = { apiVersion: def.apiVersion, kind: def.kind, metadata: { name: input.name }, spec: input.spec };
    const created = await ctx.client().create<Project>(def.plural, body);
    const id = qualifiedName(def, input.name);
    return { type: 'message', lines: [`${id} created${input.spec.public ? ' (public)' : ''}`], data: created, names: [id] };
  },
});

export const projectListCommand = defineCommand<GetInput>({
  name: 'list',
  description: 'List registry projects (same as `get projects`)',
  aliases: ['ls'],
  options: LIST_OPTIONS,
  examples: ['bulkhead project list', 'bulkhead project list -o wide'],
  parse: async ({ opts }) => parseListInput(await projectKind(), undefined, opts),
  run: runGet,
});

interface MemberInput {
  readonly action: 'add' | 'remove';
  readonly project: string;
  readonly member: ProjectMember;
}

export const projectMemberCommand = defineCommand<MemberInput>({
  name: 'member',
  description: 'Give a user or group a role in a project (add replaces its previous role), or remove it',
  args: [
    { name: 'action', description: 'add or remove', required: true },
    { name: 'project', description: 'project name', required: true },
  ],
  options: [
    { flags: '--user <user>', description: 'the user to add' },
    { flags: '--group <group>', description: 'the group to add' },
    { flags: '--role <role>', description: `one of ${PROJECT_ROLES.join(', ')} (for add)` },
  ],
  examples: ['bulkhead project member add acme-web --user dana --role developer', 'bulkhead project member add acme-web --group qa --role guest'],
  parse: ({ args, opts }) => {
    const action = args[0];
    if (action !== 'add' && action !== 'remove') throw new UserError(`project member takes add or remove, got "${action ?? ''}"`);
    const user = optionalString(opts.user, '--user');
    const group = optionalString(opts.group, '--group');
    if ((user === undefined) === (group === undefined)) throw new UserError('give exactly one of --user or --group');
    const role = action === 'remove' ? (optionalString(opts.role, '--role') ?? 'guest') : requiredString(opts.role, '--role');
    if (!isProjectRole(role)) throw new UserError(`--role must be one of ${PROJECT_ROLES.join(', ')}, got "${role}"`);
    const member: ProjectMember = user !== undefined ? { kind: 'User', name: user, role } : { kind: 'Group', name: group ?? '', role };
    return { action, project: args[1] ?? '', member };
  },
  run: async (ctx, input): Promise<Output> => {
    const def = await projectKind();
    const client = ctx.client();
    const p = await client.get<Project>(def.plural, input.project);
    if (!p.spec) throw new UserError(`${qualifiedName(def, input.project)} has no spec`);
    const m = input.member;
    const others = (p.spec.members ?? []).filter((x) => !(x.kind === m.kind && x.name === m.name));
    const members = input.action === 'add' ? [...others, m] : others;
    const updated = await client.replace<Project>(def.plural, input.project, { ...p, spec: { ...p.spec, members } });
    const id = qualifiedName(def, input.project);
    const line = input.action === 'add' ? `${m.kind.toLowerCase()} ${m.name} is ${m.role} of ${id}` : `${m.kind.toLowerCase()} ${m.name} removed from ${id}`;
    return { type: 'message', lines: [line], data: updated };
  },
});
