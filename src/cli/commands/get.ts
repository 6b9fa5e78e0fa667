/** `bulkhead get <kind> [name]`: list a kind (paging automatically) or show one object, optionally watching. */
import type { KindDef, Resource } from '../../api/index.js';
import type { Context } from '../context.js';
import { optionalPositiveInt, optionalString } from '../flags.js';
import { NAMESPACE_OPTIONS, requireCluster, resolveAnyKind, withNamespaceColumn, workloadPath } from '../workloads.js';
import type { Output } from '../output.js';
import { defineCommand, type OptionSpec, type RawInput } from '../spec.js';

export interface GetInput {
  readonly kind: KindDef;
  readonly name?: string;
  readonly selector?: string;
  readonly limit?: number;
  readonly continueToken?: string;
  readonly watch: boolean;
  /** A workload kind (served inside the `-c` cluster). */
  readonly workload?: boolean;
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
}

/** The list options shared by `get`, `vm list` and `host list`. */
export const LIST_OPTIONS: readonly OptionSpec[] = [
  { flags: '-l, --selector <selector>', description: 'label selector, e.g. env=prod,tier!=db' },
  { flags: '--limit <n>', description: 'return at most n objects (one page); without it every page is fetched' },
  { flags: '--continue <token>', description: 'continue token from a previous page' },
  { flags: '-w, --watch', description: 'after listing, print changes as they happen' },
];

/** Validates the list flags for `kind`. */
export function parseListInput(kind: KindDef, name: string | undefined, opts: RawInput['opts']): GetInput {
  const limit = optionalPositiveInt(opts.limit, '--limit');
  const continueToken = optionalString(opts.continue, '--continue');
  const selector = optionalString(opts.selector, '--selector');
  return { kind, name, selector, limit, continueToken, watch: opts.watch === true };
}

/** Runs a get: one object, one page, or all pages; then a watch when asked. */
export async function runGet(ctx: Context, input: GetInput): Promise<Output> {
  if (input.workload) return runWorkloadGet(ctx, input);
  const client = ctx.client();
  const { kind, name } = input;
  let items: Resource[];
  let resourceVersion: string | undefined;
  if (name !== undefined) {
    const obj = await client.get(kind.plural, name);
    items = [obj];
    resourceVersion = obj.metadata.resourceVersion;
  } else if (input.limit !== undefined || input.continueToken !== undefined) {
    const page = await client.list(kind.plural, { labelSelector: input.selector, limit: input.limit, continue: input.continueToken });
    items = page.items;
    resourceVersion = page.resourceVersion;
    if (page.continue) ctx.log(`more ${kind.plural} remain: add --continue ${page.continue}`);
  } else {
    const all = await client.listAll(kind.plural, { labelSelector: input.selector });
    items = all.items;
    resourceVersion = all.resourceVersion;
  }
  if (!input.watch) return { type: 'resources', kind, items, single: name !== undefined };
  const stream = client.watch(kind.plural, { resourceVersion, labelSelector: input.selector });
  const events = name === undefined ? stream : filterByName(stream, name);
  return { type: 'watch', kind, initial: items, events };
}

/** `get` of a workload kind inside the `-c` cluster: one namespace (-n, default "default") or all (-A). */
async function runWorkloadGet(ctx: Context, input: GetInput): Promise<Output> {
  const cluster = requireCluster(ctx.globals.cluster, input.kind);
  const client = ctx.client();
  const ns = input.allNamespaces ? undefined : (input.namespace ?? 'default');
  const kind = input.allNamespaces && input.kind.kind !== 'Namespace' ? withNamespaceColumn(input.kind) : input.kind;
  if (input.name !== undefined) {
    const obj = await client.request<Resource>('GET', workloadPath(cluster, input.kind, ns ?? 'default', input.name));
    return { type: 'resources', kind, items: [obj], single: true };
  }
  const list = await client.request<{ items?: Resource[] }>('GET', workloadPath(cluster, input.kind, ns), { query: { labelSelector: input.selector } });
  return { type: 'resources', kind, items: list.items ?? [], single: false };
}

async function* filterByName<T extends { object: Resource }>(events: AsyncIterable<T>, name: string): AsyncGenerator<T> {
  for await (const ev of events) if (ev.object.metadata.name === name) yield ev;
}

export const getCommand = defineCommand<GetInput>({
  name: 'get',
  description: 'List objects of a kind, or show one by name',
  args: [
    { name: 'kind', description: 'kind: plural, singular or short name (vms, zone, ho, ...)', required: true },
    { name: 'name', description: 'object name' },
  ],
  options: [...LIST_OPTIONS, ...NAMESPACE_OPTIONS],
  examples: ['bulkhead get zones', 'bulkhead get vm web-1 -o yaml', 'bulkhead get hosts -l rack=r1 -o wide', 'bulkhead get vms -w', 'bulkhead -c web get pods -n shop -o wide', 'bulkhead -c web get deployments -A'],
  parse: async ({ args, opts }) => {
    const k = await resolveAnyKind(args[0] ?? '');
    const base = parseListInput(k.def, args[1], opts);
    if (!k.workload) return base;
    return { ...base, workload: true, namespace: optionalString(opts.namespace, '--namespace'), allNamespaces: opts.allNamespaces === true };
  },
  run: runGet,
});
