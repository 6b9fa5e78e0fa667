/**
 * Reading manifests for `apply`: YAML or JSON, several `---` documents. Every document is checked
 * here (apiVersion, kind, metadata.name present, kind known, spec valid against the kind's schema)
 * before anything is sent, so a bad file writes nothing.
 */
import type { KindDef, Resource } from '../api/index.js';
import { UserError } from './errors.js';
import { loadApi } from './kinds.js';

/** One validated document of a manifest. */
export interface ManifestDocument {
  /** 1-based position in the file (empty documents are not counted). */
  readonly index: number;
  /** 1-based line where the document starts. */
  readonly line: number;
  readonly kind: KindDef;
  /** The object exactly as written (sent to the server). */
  readonly object: Resource;
  /** The spec with the kind's defaults filled in (to tell `unchanged` from `configured`). */
  readonly defaultedSpec: unknown;
  /** A workload kind (Namespace, Deployment, Service...), applied inside the `-c` cluster; the server validates it. */
  readonly workload?: boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function missing(obj: Record<string, unknown>): string | undefined {
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') return 'apiVersion';
  if (typeof obj.kind !== 'string' || obj.kind === '') return 'kind';
  if (!isRecord(obj.metadata) || typeof obj.metadata.name !== 'string' || obj.metadata.name === '') return 'metadata.name';
  return undefined;
}

/**
 * Parses and validates every document of `text`; throws one UserError naming the source, the
 * document and its line at the first problem.
 */
export async function parseManifest(text: string, source: string): Promise<ManifestDocument[]> {
  const [{ LineCounter, parseAllDocuments }, { isBulkheadError, parseResource, findWorkloadKind }] = await Promise.all([import('yaml'), loadApi()]);
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  if (!Array.isArray(docs)) return [];
  const out: ManifestDocument[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const at = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
      throw new UserError(`${source}: YAML error at line ${at.line}, column ${at.col}: ${err.message.split('\n')[0]}`);
    }
    if (doc.contents === null) continue;
    const line = lineCounter.linePos(doc.contents.range?.[0] ?? doc.range[0]).line;
    const where = `${source}: document ${out.length + 1} (line ${line})`;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw new UserError(`${where}: ${(e as Error).message}`);
    }
    if (value === null || value === undefined) continue;
    if (!isRecord(value)) throw new UserError(`${where}: must be an object with apiVersion, kind and metadata`);
    const absent = missing(value);
    if (absent) throw new UserError(`${where}: ${absent} is required`);
    const workload = findWorkloadKind(String(value.kind));
    if (workload && value.apiVersion === workload.apiVersion) {
      out.push({ index: out.length + 1, line, kind: workload, object: value as unknown as Resource, defaultedSpec: value.spec, workload: true });
      continue;
    }
    let parsed: { def: KindDef; obj: Resource };
    try {
      parsed = parseResource(value);
    } catch (e) {
      if (isBulkheadError(e)) throw new UserError(`${where}: ${e.message}`);
      throw e;
    }
    out.push({ index: out.length + 1, line, kind: parsed.def, object: value as unknown as Resource, defaultedSpec: parsed.obj.spec });
  }
  return out;
}
