/**
 * `bulkhead cluster create|list|resize|upgrade|delete`: the PKS-style cluster commands. Every
 * mutation returns at once unless `--wait`, which follows the action to its end with progress on
 * stderr and exits 1 with the action's description if it failed.
 */
import type { Cluster, ClusterSpec } from '../../api/index.js';
import type { Context } from '../context.js';
import { optionalString, parseDurationSeconds, parsePositiveInt, requiredString } from '../flags.js';
import { resolveKind } from '../kinds.js';
import type { Output } from '../output.js';
import { defineCommand, type OptionSpec } from '../spec.js';
import { clusterProgress, waitForAction, waitForDeletion } from './cluster-wait.js';
import { LIST_OPTIONS, parseListInput, runGet, type GetInput } from './get.js';

const WAIT_OPTIONS: readonly OptionSpec[] = [
  { flags: '--wait', description: 'wait until the action has finished, showing progress' },
  { flags: '--timeout <duration>', description: 'how long --wait waits', default: '30m' },
];

interface Waiting {
  readonly name: string;
  readonly wait: boolean;
  readonly timeoutSeconds: number;
}

const waiting = (args: readonly (string | undefined)[], opts: Record<string, unknown>): Waiting => ({
  name: args[0] ?? '',
  wait: opts.wait === true,
  timeoutSeconds: parseDurationSeconds(opts.timeout, '--timeout'),
});

async function finish(ctx: Context, input: Waiting, c: Cluster, verb: string): Promise<Output> {
  const id = `cluster/${input.name}`;
  if (!input.wait) return { type: 'message', lines: [`${id} ${verb}`], data: c, names: [id] };
  ctx.log(`${id} ${verb}; waiting for the action to finish...`);
  const done = await waitForAction(ctx, input.name, c.metadata.generation ?? 1, input.timeoutSeconds * 1000);
  return { type: 'message', lines: [`${id}: ${clusterProgress(done)}`], data: done, names: [id] };
}

export const clusterCreateCommand = defineCommand<Waiting & { spec: ClusterSpec }>({
  name: 'create',
  description: 'Create a cluster from a plan',
  args: [{ name: 'name', description: 'cluster name', required: true }],
  options: [
    { flags: '--tenant <tenant>', description: 'owning tenant', required: true },
    { flags: '--plan <plan>', description: 'plan (see `bulkhead plan list`)', required: true },
    { flags: '--workers <n>', description: "worker count (the plan's default otherwise)" },
    { flags: '--version <version>', description: "Kubernetes version (the plan's default otherwise)" },
    ...WAIT_OPTIONS,
  ],
  examples: ['bulkhead cluster create web --tenant acme --plan small --workers 3 --wait'],
  parse: ({ args, opts }) => ({
    ...waiting(args, opts),
    spec: {
      tenant: requiredString(opts.tenant, '--tenant'),
      plan: requiredString(opts.plan, '--plan'),
      ...(opts.workers !== undefined ? { workers: parsePositiveInt(opts.workers, '--workers') } : {}),
      ...(opts.version !== undefined ? { kubernetesVersion: optionalString(opts.version, '--version') } : {}),
    },
  }),
  run: async (ctx, input) => {
    const def = await resolveKind('Cluster');
    const c = await ctx.client().create<Cluster>(def.plural, { apiVersion: def.apiVersion, kind: def.kind, metadata: { name: input.name }, spec: input.spec });
    return finish(ctx, input, c, 'created');
  },
});

export const clusterListCommand = defineCommand<GetInput>({
  name: 'list',
  description: 'List clusters (same as `get clusters`)',
  aliases: ['ls'],
  options: LIST_OPTIONS,
  examples: ['bulkhead cluster list', 'bulkhead cluster list -o wide'],
  parse: async ({ opts }) => parseListInput(await resolveKind('Cluster'), undefined, opts),
  run: runGet,
});

/** Reads the cluster, applies `patch` to its spec and writes it back. */
async function patchSpec(ctx: Context, name: string, patch: Partial<ClusterSpec>): Promise<Cluster> {
  const client = ctx.client();
  const c = await client.get<Cluster>('clusters', name);
  return client.replace<Cluster>('clusters', name, { apiVersion: c.apiVersion, kind: c.kind, metadata: c.metadata, spec: { ...c.spec, ...patch } });
}

export const clusterResizeCommand = defineCommand<Waiting & { workers: number }>({
  name: 'resize',
  description: 'Change the worker count (scale-down drains the removed nodes first)',
  args: [{ name: 'name', description: 'cluster name', required: true }],
  options: [{ flags: '--workers <n>', description: 'new worker count', required: true }, ...WAIT_OPTIONS],
  examples: ['bulkhead cluster resize web --workers 5 --wait'],
  parse: ({ args, opts }) => ({ ...waiting(args, opts), workers: parsePositiveInt(opts.workers, '--workers') }),
  run: async (ctx, input) => finish(ctx, input, await patchSpec(ctx, input.name, { workers: input.workers }), `resizing to ${input.workers} workers`),
});

export const clusterUpgradeCommand = defineCommand<Waiting & { version?: string; stemcell?: string }>({
  name: 'upgrade',
  description: 'Upgrade Kubernetes or the node stemcell: nodes are recreated, control plane first, then canaries',
  args: [{ name: 'name', description: 'cluster name', required: true }],
  options: [{ flags: '--version <version>', description: 'Kubernetes version' }, { flags: '--stemcell <stemcell>', description: 'node OS image' }, ...WAIT_OPTIONS],
  examples: ['bulkhead cluster upgrade web --version 1.31 --wait'],
  parse: ({ args, opts }) => ({
    ...waiting(args, opts),
    ...(opts.version !== undefined ? { version: optionalString(opts.version, '--version') } : {}),
    ...(opts.stemcell !== undefined ? { stemcell: optionalString(opts.stemcell, '--stemcell') } : {}),
  }),
  run: async (ctx, input) => {
    const patch: Partial<ClusterSpec> = { ...(input.version ? { kubernetesVersion: input.version } : {}), ...(input.stemcell ? { stemcell: input.stemcell } : {}) };
    return finish(ctx, input, await patchSpec(ctx, input.name, patch), `upgrading${input.version ? ` to Kubernetes ${input.version}` : ''}${input.stemcell ? ` (stemcell ${input.stemcell})` : ''}`);
  },
});

export const clusterDeleteCommand = defineCommand<Waiting>({
  name: 'delete',
  description: 'Delete a cluster and release its VMs and disks',
  args: [{ name: 'name', description: 'cluster name', required: true }],
  options: WAIT_OPTIONS,
  examples: ['bulkhead cluster delete web --wait'],
  parse: ({ args, opts }) => waiting(args, opts),
  run: async (ctx, input) => {
    const id = `cluster/${input.name}`;
    const c = await ctx.client().delete<Cluster>('clusters', input.name);
    if (!input.wait) return { type: 'message', lines: [`${id} deleting`], data: c, names: [id] };
    await waitForDeletion(ctx, input.name, input.timeoutSeconds * 1000);
    return { type: 'message', lines: [`${id} deleted`], names: [id] };
  },
});
