/**
 * The `describe` view: one object as readable sections (metadata, spec, status, conditions) and,
 * for a VirtualMachine or a Pod, the scheduler's placement explanation: how many hosts were evaluated and
 * feasible, why the others were filtered, the top scores per plugin, and the chosen host.
 */
import type { Condition, KindDef, PlacementExplanation, Resource } from '../api/index.js';
import { NONE, formatAge, formatValue } from './format.js';
import { formatTable } from './table.js';

type Rec = Readonly<Record<string, unknown>>;

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `Label:` padded so values line up, as kubectl describe does. */
function field(label: string, value: string, indent = ''): string {
  return `${indent}${`${label}:`.padEnd(Math.max(18 - indent.length, label.length + 2))}${value}`;
}

function mapLines(m: Readonly<Record<string, string>> | undefined): string {
  const entries = Object.entries(m ?? {});
  return entries.length === 0 ? NONE : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

/** Nested data as indented `key: value` lines; arrays of scalars joined, of objects as `-` items. */
export function nestedLines(value: unknown, indent: string): string[] {
  if (!isRec(value)) return [`${indent}${formatValue(value)}`];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.some((x) => !isScalar(x))) {
      out.push(`${indent}${k}:`);
      for (const item of v) {
        const lines = nestedLines(item, `${indent}    `);
        const first = lines[0] ?? '';
        out.push(`${indent}  - ${first.trimStart()}`, ...lines.slice(1));
      }
    } else if (isRec(v) && Object.keys(v).length > 0) {
      out.push(`${indent}${k}:`, ...nestedLines(v, `${indent}  `));
    } else {
      out.push(`${indent}${k}: ${formatValue(v)}`);
    }
  }
  return out.length ? out : [`${indent}${NONE}`];
}

function conditionsSection(conditions: readonly Condition[], now: number): string[] {
  if (conditions.length === 0) return ['Conditions:', `  ${NONE}`];
  const rows = conditions.map((c) => [c.type, c.status, c.reason || NONE, formatAge(c.lastTransitionTime, now), c.message || '']);
  const table = formatTable(['TYPE', 'STATUS', 'REASON', 'AGE', 'MESSAGE'], rows).trimEnd();
  return ['Conditions:', ...table.split('\n').map((l) => `  ${l}`)];
}

function formatMicros(us: number): string {
  if (us < 1000) return `${us}µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(1)}ms`;
  return `${(us / 1_000_000).toFixed(2)}s`;
}

/** The placement explanation of a VirtualMachine (candidates are hosts) or a Pod (candidates are nodes). */
export function placementSection(p: PlacementExplanation, numaNodes: readonly number[] | undefined, candidates: 'hosts' | 'nodes' = 'hosts'): string[] {
  const out = ['Placement:'];
  out.push(field('Evaluated', `${p.evaluated} ${candidates}, ${p.feasible} feasible`, '  '));
  const filtered = Object.entries(p.filtered ?? {}).sort((a, b) => b[1] - a[1]);
  if (filtered.length === 0) out.push(field('Filtered', NONE, '  '));
  else {
    out.push('  Filtered:');
    const w = Math.max(...filtered.map(([r]) => r.length));
    for (const [reason, n] of filtered) out.push(`    ${reason.padEnd(w)}  ${n}`);
  }
  const top = p.topScores ?? [];
  if (top.length === 0) out.push(field('Top scores', NONE, '  '));
  else {
    const plugins = [...new Set(top.flatMap((t) => Object.keys(t.scores ?? {})))];
    const rows = top.map((t) => [t.host === p.chosen ? `${t.host} *` : t.host, String(t.score), ...plugins.map((pl) => formatValue(t.scores?.[pl]))]);
    out.push('  Top scores:', ...formatTable([candidates === 'nodes' ? 'NODE' : 'HOST', 'SCORE', ...plugins.map((pl) => pl.toUpperCase())], rows).trimEnd().split('\n').map((l) => `    ${l}`));
  }
  const numa = numaNodes && numaNodes.length ? ` (NUMA nodes ${numaNodes.join(',')})` : '';
  out.push(field('Chosen', p.chosen ? `${p.chosen}${numa}` : NONE, '  '));
  out.push(field('Took', `${formatMicros(p.durationMicros ?? 0)}${p.seed === undefined ? '' : `, seed ${p.seed}`}`, '  '));
  out.push(field('Message', p.message || NONE, '  '));
  return out;
}

/** The whole describe text for one object, ending with a newline. */
export function describeText(def: KindDef, obj: Resource, now: number = Date.now()): string {
  const md = obj.metadata;
  const lines: string[] = [
    field('Name', md.name),
    field('Kind', obj.kind || def.kind),
    field('API Version', obj.apiVersion || def.apiVersion),
  ];
  if (md.namespace) lines.push(field('Namespace', md.namespace));
  lines.push(
    field('UID', md.uid ?? NONE),
    field('Resource Version', md.resourceVersion ?? NONE),
    field('Generation', md.generation === undefined ? NONE : String(md.generation)),
    field('Created', md.creationTimestamp ? `${md.creationTimestamp} (${formatAge(md.creationTimestamp, now)} ago)` : NONE),
  );
  if (md.deletionTimestamp) lines.push(field('Deleting since', md.deletionTimestamp));
  lines.push(field('Labels', mapLines(md.labels)), field('Annotations', mapLines(md.annotations)));
  if (md.ownerReferences?.length) lines.push(field('Owners', md.ownerReferences.map((o) => `${o.kind}/${o.name}`).join(', ')));
  if (md.finalizers?.length) lines.push(field('Finalizers', md.finalizers.join(', ')));

  lines.push('', 'Spec:', ...(obj.spec === undefined ? [`  ${NONE}`] : nestedLines(obj.spec, '  ')));

  const status: Rec = isRec(obj.status) ? obj.status : {};
  const { conditions, placement, ...rest } = status;
  lines.push('', 'Status:', ...(Object.keys(rest).length === 0 ? [`  ${NONE}`] : nestedLines(rest, '  ')));
  lines.push('', ...conditionsSection(Array.isArray(conditions) ? (conditions as Condition[]) : [], now));
  if (def.kind === 'VirtualMachine' || def.kind === 'Pod') {
    lines.push('');
    if (isRec(placement)) {
      const numa = Array.isArray(status.numaNodes) ? (status.numaNodes as number[]) : undefined;
      lines.push(...placementSection(placement as unknown as PlacementExplanation, numa, def.kind === 'Pod' ? 'nodes' : 'hosts'));
    } else lines.push('Placement:', '  not yet scheduled');
  }
  return `${lines.join('\n')}\n`;
}
