/**
 * What a command handler returns: data, never printed text. The renderer (render.ts) turns it into
 * a table, JSON, YAML or names according to `-o`.
 */
import type { KindDef, Resource } from '../api/index.js';
import type { WatchEventLine } from './client.js';

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml', 'name'] as const;
/** The `-o` choices. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function isOutputFormat(s: string): s is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(s);
}

/** Objects of one kind: a list (`single: false`) or the one object asked for by name. */
export interface ResourcesOutput {
  readonly type: 'resources';
  readonly kind: KindDef;
  readonly items: readonly Resource[];
  readonly single: boolean;
}

/** The multi-section human view of one object. */
export interface DescribeOutput {
  readonly type: 'describe';
  readonly kind: KindDef;
  readonly object: Resource;
}

/** A list followed by a live stream of changes (`get -w`). */
export interface WatchOutput {
  readonly type: 'watch';
  readonly kind: KindDef;
  readonly initial: readonly Resource[];
  readonly events: AsyncIterable<WatchEventLine>;
}

/** A sentence for people (`zone/a created`), with data for -o json/yaml and names for -o name. */
export interface MessageOutput {
  readonly type: 'message';
  readonly lines: readonly string[];
  readonly data?: unknown;
  readonly names?: readonly string[];
}

/** A table that is not a kind's table (audit log, isolation violations). */
export interface TableOutput {
  readonly type: 'table';
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** What -o json/yaml print. */
  readonly data: unknown;
  /** Printed to stderr instead of an empty table. */
  readonly emptyNote?: string;
}

/** Nothing to print (the server command, which logs on its own). */
export interface NoOutput {
  readonly type: 'none';
}

export type OutputBody = ResourcesOutput | DescribeOutput | WatchOutput | MessageOutput | TableOutput | NoOutput;

/** A handler's result: what to print and, optionally, a non-zero exit code (e.g. violations found). */
export type Output = OutputBody & { readonly exitCode?: number };
