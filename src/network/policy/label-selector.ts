/**
 * Kubernetes LabelSelector (matchLabels + matchExpressions) for policies: the TypeBox schema, the
 * field-naming validation upstream applies (key/value syntax, operator/values agreement) and a
 * compiled matcher with a canonical key so equal selectors share one membership set.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FieldCause } from '../../api/index.js';
import type { DeepReadonly } from './readonly.js';

export const LABEL_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export type LabelSelectorOperator = (typeof LABEL_SELECTOR_OPERATORS)[number];

export const LabelSelectorRequirementSchema = Type.Object(
  {
    key: Type.String(),
    operator: Type.Union(LABEL_SELECTOR_OPERATORS.map((o) => Type.Literal(o))),
    values: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);

export const LabelSelectorSchema = Type.Object(
  {
    matchLabels: Type.Optional(Type.Record(Type.String(), Type.String())),
    matchExpressions: Type.Optional(Type.Array(LabelSelectorRequirementSchema)),
  },
  { additionalProperties: false },
);
export type LabelSelector = DeepReadonly<Static<typeof LabelSelectorSchema>>;
export type Labels = Readonly<Record<string, string>>;

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a valid label key (`[prefix/]name`), or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))
      return `invalid label key ${JSON.stringify(key)}: the prefix must be a DNS subdomain of at most 253 characters`;
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name))
    return `invalid label key ${JSON.stringify(key)}: the name must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`;
  return undefined;
}

/** Why `value` is not a valid label value, or undefined when it is (the empty value is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !NAME.test(value))
    return `invalid label value ${JSON.stringify(value)}: must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`;
  return undefined;
}

/** Field-level problems of a (schema-valid) selector, paths under `path`. */
export function labelSelectorCauses(sel: LabelSelector, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    const kp = labelKeyProblem(k);
    if (kp) causes.push({ field: `${path}.matchLabels`, message: kp });
    const vp = labelValueProblem(v);
    if (vp) causes.push({ field: `${path}.matchLabels`, message: `${vp} (key ${JSON.stringify(k)})` });
  }
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    const kp = labelKeyProblem(e.key);
    if (kp) causes.push({ field: `${at}.key`, message: kp });
    const values = e.values ?? [];
    if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0)
      causes.push({ field: `${at}.values`, message: `must be specified when operator is ${e.operator}` });
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0)
      causes.push({ field: `${at}.values`, message: `may not be specified when operator is ${e.operator}` });
    values.forEach((v, j) => {
      const vp = labelValueProblem(v);
      if (vp) causes.push({ field: `${at}.values[${j}]`, message: vp });
    });
  });
  return causes;
}

/** A selector ready to match: `key` is canonical (equal selectors, equal keys). */
export interface CompiledSelector {
  readonly key: string;
  /** True for `{}`: matches every object. */
  readonly matchesAll: boolean;
  matches(labels: Labels): boolean;
}

type Requirement = (labels: Labels) => boolean;

function requirement(key: string, op: LabelSelectorOperator, values: readonly string[]): Requirement {
  const has = (labels: Labels): boolean => Object.prototype.hasOwnProperty.call(labels, key);
  switch (op) {
    case 'In': {
      const set = new Set(values);
      return (l) => has(l) && set.has(l[key] as string);
    }
    case 'NotIn': {
      // NotIn matches objects lacking the key, as upstream does
      const set = new Set(values);
      return (l) => !has(l) || !set.has(l[key] as string);
    }
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return (l) => !has(l);
  }
}

/** Compiles a validated selector; `{}` (or absent) matches everything. */
export function compileSelector(sel: LabelSelector | undefined): CompiledSelector {
  const labels = Object.entries(sel?.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const exprs = (sel?.matchExpressions ?? [])
    .map((e) => ({ key: e.key, op: e.operator, values: [...(e.values ?? [])].sort() }))
    .sort((a, b) => (`${a.key}\u0000${a.op}` < `${b.key}\u0000${b.op}` ? -1 : 1));
  const key = JSON.stringify([labels, exprs.map((e) => [e.key, e.op, e.values])]);
  const reqs: Requirement[] = [
    ...labels.map(([k, v]): Requirement => (l) => l[k] === v && Object.prototype.hasOwnProperty.call(l, k)),
    ...exprs.map((e) => requirement(e.key, e.op, e.values)),
  ];
  if (reqs.length === 0) return { key, matchesAll: true, matches: () => true };
  if (reqs.length === 1) {
    const only = reqs[0] as Requirement;
    return { key, matchesAll: false, matches: only };
  }
  return { key, matchesAll: false, matches: (l) => reqs.every((r) => r(l)) };
}
