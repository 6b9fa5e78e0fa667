/**
 * Validation at the edge: turns unknown input into a typed resource or a ValidationError that
 * names every offending field by its dotted path (`spec.cpus`), as Kubernetes does.
 */
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { ValidationError, type FieldCause } from './errors.js';
import { DNS_LABEL, DNS_LABEL_MAX, ObjectMetaSchema, type Resource } from './meta.js';
import { findKind, type KindDef } from './registry.js';

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();
function checker(schema: TSchema): TypeCheck<TSchema> {
  let c = compiled.get(schema);
  if (!c) {
    c = TypeCompiler.Compile(schema);
    compiled.set(schema, c);
  }
  return c;
}

function pointerToPath(prefix: string, pointer: string): string {
  const parts = pointer.split('/').filter((p) => p !== '');
  let out = prefix;
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : `${out ? '.' : ''}${p}`;
  return out || prefix;
}

/** Checks `value` against `schema`; returns the causes (empty when valid), paths under `prefix`. */
export function schemaCauses(schema: TSchema, value: unknown, prefix: string): FieldCause[] {
  const c = checker(schema);
  if (c.Check(value)) return [];
  const seen = new Set<string>();
  const causes: FieldCause[] = [];
  for (const e of c.Errors(value)) {
    const field = pointerToPath(prefix, e.path);
    if (seen.has(field)) continue;
    seen.add(field);
    let message = e.message;
    if (e.value === undefined) message = 'required field is missing';
    else if (message.startsWith('Expected union value')) message = `unsupported value ${JSON.stringify(e.value)}${unionChoices(e.schema)}`;
    else if (message === 'Unexpected property') message = 'unknown field';
    causes.push({ field, message });
    if (causes.length >= 10) break;
  }
  return causes;
}

function unionChoices(schema: TSchema): string {
  const anyOf = (schema as { anyOf?: { const?: unknown }[] }).anyOf;
  if (!anyOf || !anyOf.every((s) => s.const !== undefined)) return '';
  return `; must be one of ${anyOf.map((s) => JSON.stringify(s.const)).join(', ')}`;
}

/** Checks a name is a DNS-1123 label. */
export function nameCauses(name: unknown, field = 'metadata.name'): FieldCause[] {
  if (typeof name !== 'string' || name === '') return [{ field, message: 'required field is missing' }];
  if (name.length > DNS_LABEL_MAX) return [{ field, message: `must be no more than ${DNS_LABEL_MAX} characters` }];
  if (!DNS_LABEL.test(name))
    return [{ field, message: `"${name}" is not a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit` }];
  return [];
}

export function assertName(name: unknown, kind: string, field = 'metadata.name'): asserts name is string {
  const causes = nameCauses(name, field);
  if (causes.length) throw new ValidationError(causes, { kind });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses an object submitted by a user into a resource of a known kind: checks apiVersion, kind,
 * metadata, name and spec; fills spec defaults; drops status (controllers own it).
 * `expectKind` is the kind from the URL, when there is one.
 */
export function parseResource(input: unknown, expectKind?: KindDef): { def: KindDef; obj: Resource } {
  if (!isRecord(input)) throw ValidationError.field('(body)', 'must be a JSON object');
  const kindName = input['kind'];
  if (kindName === undefined && !expectKind) throw ValidationError.field('kind', 'required field is missing');
  if (kindName !== undefined && typeof kindName !== 'string') throw ValidationError.field('kind', 'must be a string');
  const def = kindName !== undefined ? findKind(kindName) : expectKind;
  if (!def || (kindName !== undefined && def.kind !== kindName && def.kind.toLowerCase() !== kindName.toLowerCase()))
    throw ValidationError.field('kind', `unknown kind "${String(kindName)}"`);
  if (expectKind && def.kind !== expectKind.kind)
    throw ValidationError.field('kind', `is "${def.kind}" but the URL is for ${expectKind.kind}`);
  const context = { kind: def.kind, name: isRecord(input['metadata']) ? String(input['metadata']['name'] ?? '') : undefined };
  const causes: FieldCause[] = [];
  const apiVersion = input['apiVersion'] ?? def.apiVersion;
  if (apiVersion !== def.apiVersion) causes.push({ field: 'apiVersion', message: `must be "${def.apiVersion}" for kind ${def.kind}` });
  const meta = input['metadata'];
  if (!isRecord(meta)) causes.push({ field: 'metadata', message: meta === undefined ? 'required field is missing' : 'must be an object' });
  else {
    causes.push(...schemaCauses(ObjectMetaSchema, meta, 'metadata'));
    causes.push(...nameCauses(meta['name']));
  }
  let spec = input['spec'];
  if (spec === undefined && !def.specRequired) spec = {};
  if (spec === undefined) causes.push({ field: 'spec', message: 'required field is missing' });
  else causes.push(...schemaCauses(def.specSchema, spec, 'spec'));
  for (const k of Object.keys(input)) {
    if (!['apiVersion', 'kind', 'metadata', 'spec', 'status'].includes(k)) causes.push({ field: k, message: 'unknown field' });
  }
  if (causes.length) throw new ValidationError(causes, context);
  const filled = def.defaultSpec ? def.defaultSpec(spec as never) : spec;
  const obj: Resource = { apiVersion: def.apiVersion, kind: def.kind, metadata: meta as Resource['metadata'], spec: filled };
  return { def, obj };
}
