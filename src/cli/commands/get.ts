/** `bulkhead get <kind> [name]`: list a kind (paging automatically) or show one object, optionally watching. */
import type { KindDef, Resource } from '../../api/index.js';
import type { Context } from '../context.js';
import { optionalPositiveInt, optionalString } from '../flags.js';
import { resolveKind } from '../kinds.js';
import type { Output } from '../output.js';
import { defineCommand, type OptionSpec, type RawInput } from '../spec.js';

export interface GetInput {
  readonly kind: KindDef;
  readonly name?: string;
  readonly selector?: string;
  readonly limit?: number;
  readonly continueToken?: string;
  readonly watch: boolean;
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
  options: LIST_OPTIONS,
  examples: ['bulkhead get zones', 'bulkhead get vm web-1 -o yaml', 'bulkhead get hosts -l rack=r1 -o wide', 'bulkhead get vms -w'],
  parse: async ({ args, opts }) => parseListInput(await resolveKind(args[0] ?? ''), args[1], opts),
  run: runGet,
});
