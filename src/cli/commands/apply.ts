/**
 * `bulkhead apply -f FILE`: create or update every object of a manifest. All documents are
 * validated first; then each is created, or, when it exists, replaced with the file's spec,
 * labels and annotations at the server's resourceVersion (retrying on a conflict).
 */
import type { Resource } from '../../api/index.js';
import { canonicalJson } from '../../store/audit-chain.js';
import { ApiError, type ApiClient } from '../client.js';
import type { Context } from '../context.js';
import { parseManifest, type ManifestDocument } from '../documents.js';
import { UserError } from '../errors.js';
import { optionalString, requiredString } from '../flags.js';
import { NAMESPACE_OPTIONS, requireCluster, workloadPath } from '../workloads.js';
import { qualifiedName } from '../kinds.js';
import { defineCommand } from '../spec.js';
import { readFile } from 'node:fs/promises';

/** What apply did to one object. */
export type ApplyAction = 'created' | 'configured' | 'unchanged';

export interface ApplyResult {
  readonly id: string;
  readonly action: ApplyAction;
  readonly object: Resource;
}

const CONFLICT_RETRIES = 3;

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

/** Keys under this prefix are set by the platform (e.g. a VM's tenant label); apply keeps them. */
const SYSTEM_PREFIX = 'bulkhead.dev/';

/** The file's map plus the server's system-owned keys; the server's map when the file has none. */
function mergeMap(fromFile: Readonly<Record<string, string>> | undefined, stored: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> | undefined {
  if (fromFile === undefined) return stored;
  const system = Object.entries(stored ?? {}).filter(([k]) => k.startsWith(SYSTEM_PREFIX));
  return { ...Object.fromEntries(system), ...fromFile };
}

/**
 * The stored object with the file's spec, labels and annotations (keeping the platform's own
 * `bulkhead.dev/` keys and the server's resourceVersion); undefined when nothing differs.
 */
export function mergeForUpdate(current: Resource, doc: ManifestDocument): Resource | undefined {
  const file = doc.object;
  const labels = mergeMap(file.metadata.labels, current.metadata.labels);
  const annotations = mergeMap(file.metadata.annotations, current.metadata.annotations);
  const specSame = same(file.spec, current.spec) || same(doc.defaultedSpec, current.spec);
  if (specSame && same(labels, current.metadata.labels) && same(annotations, current.metadata.annotations)) return undefined;
  return {
    apiVersion: current.apiVersion,
    kind: current.kind,
    metadata: { ...current.metadata, labels, annotations },
    spec: file.spec,
  };
}

/** Creates or updates one document's object. */
export async function applyOne(client: ApiClient, doc: ManifestDocument): Promise<ApplyResult> {
  const { plural } = doc.kind;
  const name = doc.object.metadata.name;
  const id = qualifiedName(doc.kind, name);
  try {
    return { id, action: 'created', object: await client.create(plural, doc.object) };
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 409 && e.reason === 'AlreadyExists')) throw e;
  }
  for (let attempt = 1; ; attempt++) {
    const current = await client.get(plural, name);
    const next = mergeForUpdate(current, doc);
    if (!next) return { id, action: 'unchanged', object: current };
    try {
      const updated = await client.replace(plural, name, next);
      return { id, action: 'configured', object: updated };
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.reason === 'Conflict' && attempt < CONFLICT_RETRIES) continue;
      throw e;
    }
  }
}

/** Creates or updates a workload object inside `cluster` (namespace from the document, else `ns`). */
export async function applyWorkload(client: ApiClient, cluster: string, doc: ManifestDocument, ns: string): Promise<ApplyResult> {
  const def = doc.kind;
  const name = doc.object.metadata.name;
  const namespace = def.kind === 'Namespace' ? undefined : (doc.object.metadata.namespace ?? ns);
  const id = qualifiedName(def, name);
  try {
    return { id, action: 'created', object: await client.request<Resource>('POST', workloadPath(cluster, def, namespace), { body: doc.object }) };
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 409 && e.reason === 'AlreadyExists')) throw e;
  }
  for (let attempt = 1; ; attempt++) {
    const current = await client.request<Resource>('GET', workloadPath(cluster, def, namespace, name));
    const next = mergeForUpdate(current, doc);
    if (!next) return { id, action: 'unchanged', object: current };
    try {
      return { id, action: 'configured', object: await client.request<Resource>('PUT', workloadPath(cluster, def, namespace, name), { body: next }) };
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.reason === 'Conflict' && attempt < CONFLICT_RETRIES) continue;
      throw e;
    }
  }
}

interface ApplyInput {
  readonly file: string;
  readonly namespace?: string;
}

async function readSource(ctx: Context, file: string): Promise<string> {
  if (file === '-') return ctx.readStdin();
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

export const applyCommand = defineCommand<ApplyInput>({
  name: 'apply',
  description: 'Create or update objects from a YAML or JSON file (several --- documents allowed)',
  options: [{ flags: '-f, --filename <file>', description: 'manifest file, or - for stdin', required: true }, NAMESPACE_OPTIONS[0]],
  examples: ['bulkhead apply -f zones.yaml', 'cat vm.json | bulkhead apply -f -', 'bulkhead -c web apply -f app.yaml'],
  parse: ({ opts }) => ({ file: requiredString(opts.filename, '--filename'), namespace: optionalString(opts.namespace, '--namespace') }),
  run: async (ctx, { file, namespace }) => {
    const docs = await parseManifest(await readSource(ctx, file), file === '-' ? '<stdin>' : file);
    if (docs.length === 0) throw new UserError(`${file === '-' ? '<stdin>' : file}: no objects to apply`);
    const client = ctx.client();
    const results: ApplyResult[] = [];
    for (const doc of docs) {
      try {
        results.push(doc.workload ? await applyWorkload(client, requireCluster(ctx.globals.cluster, doc.kind), doc, namespace ?? 'default') : await applyOne(client, doc));
      } catch (e) {
        // Say what was already done before the failing object, then fail with its reason.
        for (const r of results) ctx.log(`${r.id} ${r.action}`);
        if (e instanceof ApiError) throw new UserError(`${qualifiedName(doc.kind, doc.object.metadata.name)}: ${e.message}`, { cause: e });
        throw e;
      }
    }
    return {
      type: 'message',
      lines: results.map((r) => `${r.id} ${r.action}`),
      data: { items: results.map((r) => r.object) },
      names: results.map((r) => r.id),
    };
  },
});
