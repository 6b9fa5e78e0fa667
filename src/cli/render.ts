/**
 * The one renderer: turns a handler's Output into text for stdout (data) and stderr (notes) in the
 * chosen format. Tables for people (`table`, `wide`), JSON/YAML for scripts, `kind/name` lines for
 * pipes. A list in JSON is `{ "items": [...] }`. Colour only on a terminal without NO_COLOR.
 */
import type { KindDef, Resource } from '../api/index.js';
import type { WatchEventLine } from './client.js';
import { describeText } from './describe-view.js';
import { formatAge, formatValue, getPath, isAgeColumn } from './format.js';
import { qualifiedName } from './kinds.js';
import type { Output, OutputFormat } from './output.js';
import { columnWidths, formatRow, formatTable } from './table.js';

export interface RenderOptions {
  readonly format: OutputFormat;
  /** Bold headers etc.; decided by shouldColor(). */
  readonly color: boolean;
  /** For AGE columns; injectable for tests. */
  readonly now?: number;
}

/** What a static Output prints. */
export interface Rendered {
  readonly stdout: string;
  readonly stderr: string;
}

/** Colour only when stdout is a terminal and NO_COLOR is unset or empty (no-color.org). */
export function shouldColor(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return Boolean(isTTY) && !env.NO_COLOR;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

// The yaml package is loaded only when -o yaml asks for it (it is a noticeable part of startup).
let yamlModule: typeof import('yaml') | undefined;

async function ensureYaml(format: OutputFormat): Promise<void> {
  if (format === 'yaml') yamlModule ??= await import('yaml');
}

function yaml(value: unknown): string {
  if (!yamlModule) throw new Error('yaml output requested before the yaml module was loaded');
  return yamlModule.stringify(value, { lineWidth: 0 });
}

/** The columns shown for a kind in `table` or `wide` format. */
export function kindColumns(def: KindDef, format: OutputFormat): KindDef['columns'] {
  return def.columns.filter((c) => format === 'wide' || !c.wide);
}

/** One object's table row. */
export function resourceRow(def: KindDef, obj: Resource, format: OutputFormat, now: number): string[] {
  return kindColumns(def, format).map((c) => (isAgeColumn(c) ? formatAge(getPath(obj, c.path), now) : formatValue(getPath(obj, c.path))));
}

function names(def: KindDef, items: readonly Resource[]): string {
  return items.map((o) => `${qualifiedName(def, o.metadata.name)}\n`).join('');
}

/** Renders everything except a watch stream. */
export async function render(output: Output, opts: RenderOptions): Promise<Rendered> {
  await ensureYaml(opts.format);
  return renderLoaded(output, opts);
}

function renderLoaded(output: Output, opts: RenderOptions): Rendered {
  const now = opts.now ?? Date.now();
  const f = opts.format;
  const out = (stdout: string, stderr = ''): Rendered => ({ stdout, stderr });
  switch (output.type) {
    case 'resources': {
      const { kind: def, items, single } = output;
      if (f === 'json') return out(json(single ? items[0] : { items }));
      if (f === 'yaml') return out(yaml(single ? items[0] : { items }));
      if (f === 'name') return out(names(def, items));
      if (items.length === 0) return out('', `No ${def.plural} found.\n`);
      const headers = kindColumns(def, f).map((c) => c.header);
      return out(formatTable(headers, items.map((o) => resourceRow(def, o, f, now)), { color: opts.color }));
    }
    case 'describe':
      if (f === 'json') return out(json(output.object));
      if (f === 'yaml') return out(yaml(output.object));
      if (f === 'name') return out(names(output.kind, [output.object]));
      {
        const text = describeText(output.kind, output.object, now);
        return out(text.endsWith('\n') ? text : `${text}\n`);
      }
    case 'message': {
      if (f === 'json') return out(json(output.data ?? { message: output.lines.join('\n') }));
      if (f === 'yaml') return out(yaml(output.data ?? { message: output.lines.join('\n') }));
      const lines = f === 'name' && output.names ? output.names : output.lines;
      return out(lines.map((l) => `${l}\n`).join(''));
    }
    case 'table': {
      if (f === 'json') return out(json(output.data));
      if (f === 'yaml') return out(yaml(output.data));
      if (f === 'name') return out(output.rows.map((r) => `${r[0] ?? ''}\n`).join(''));
      if (output.rows.length === 0) return out('', output.emptyNote ? `${output.emptyNote}\n` : '');
      return out(formatTable(output.headers, output.rows, { color: opts.color }));
    }
    case 'watch':
      throw new Error('a watch output is streamed with emit(), not render()');
    case 'none':
      return out('');
  }
}

/** One watch event in the given format (a table row uses the widths of the first batch). */
function renderWatchEvent(def: KindDef, ev: WatchEventLine, opts: RenderOptions, widths: readonly number[]): string {
  switch (opts.format) {
    case 'json':
      return `${JSON.stringify({ type: ev.type, object: ev.object })}\n`;
    case 'yaml':
      return `---\n${yaml({ type: ev.type, object: ev.object })}`;
    case 'name':
      return `${qualifiedName(def, ev.object.metadata.name)}\n`;
    default:
      return `${formatRow(resourceRow(def, ev.object, opts.format, opts.now ?? Date.now()), widths)}\n`;
  }
}

/** Where emit() writes. */
export interface Sink {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Writes an Output to the sink, streaming watch events as they arrive. */
export async function emit(output: Output, opts: RenderOptions, sink: Sink): Promise<void> {
  if (output.type !== 'watch') {
    const r = await render(output, opts);
    if (r.stdout) sink.stdout(r.stdout);
    if (r.stderr) sink.stderr(r.stderr);
    return;
  }
  await ensureYaml(opts.format);
  const def = output.kind;
  const tableFormat = opts.format === 'table' || opts.format === 'wide';
  let widths: number[] = [];
  if (tableFormat) {
    const headers = kindColumns(def, opts.format).map((c) => c.header);
    const rows = output.initial.map((o) => resourceRow(def, o, opts.format, opts.now ?? Date.now()));
    widths = columnWidths(headers, rows);
    sink.stdout(formatTable(headers, rows, { color: opts.color, minWidths: widths }));
  } else {
    for (const object of output.initial) sink.stdout(renderWatchEvent(def, { type: 'ADDED', object }, opts, widths));
  }
  for await (const ev of output.events) sink.stdout(renderWatchEvent(def, ev, { ...opts, now: Date.now() }, widths));
}
