/** Manifest parsing and local validation for `apply`, and apply's decisions against a fake client. */
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../src/api/index.js';
import { ApiClient } from '../../src/cli/client.js';
import { applyCommand, mergeForUpdate } from '../../src/cli/commands/apply.js';
import { parseManifest } from '../../src/cli/documents.js';
import { UserError } from '../../src/cli/errors.js';
import { fakeContext } from './fake-context.js';

const zone = (name: string, extra = '') => `apiVersion: bulkhead.dev/v1\nkind: Zone\nmetadata:\n  name: ${name}\nspec:\n  isolation: per-tenant\n${extra}`;

async function message(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('parseManifest', () => {
  it('reads several YAML documents, skipping empty ones, with their lines', async () => {
    const docs = await parseManifest(`---\n${zone('a')}---\n# nothing\n---\n${zone('b')}`, 'f.yaml');
    expect(docs.map((d) => [d.index, d.line, d.kind.kind, d.object.metadata.name])).toEqual([
      [1, 2, 'Zone', 'a'],
      [2, 11, 'Zone', 'b'],
    ]);
    // The spec with defaults is kept aside for the unchanged check; the object is sent as written.
    expect(docs[0]?.object.spec).toEqual({ isolation: 'per-tenant' });
    expect(docs[0]?.defaultedSpec).toMatchObject({ isolation: 'per-tenant' });
  });

  it('reads JSON', async () => {
    const docs = await parseManifest(JSON.stringify({ apiVersion: 'bulkhead.dev/v1', kind: 'Tenant', metadata: { name: 'acme' }, spec: { sensitivity: 'low' } }), 'f.json');
    expect(docs[0]?.kind.kind).toBe('Tenant');
  });

  it.each([
    ['apiVersion', 'kind: Zone\nmetadata: { name: a }\n', 'f: document 1 (line 1): apiVersion is required'],
    ['kind', 'apiVersion: bulkhead.dev/v1\nmetadata: { name: a }\n', 'f: document 1 (line 1): kind is required'],
    ['metadata.name', 'apiVersion: bulkhead.dev/v1\nkind: Zone\nmetadata: {}\n', 'f: document 1 (line 1): metadata.name is required'],
    ['an unknown kind', 'apiVersion: bulkhead.dev/v1\nkind: Widget\nmetadata: { name: a }\n', 'f: document 1 (line 1): kind: unknown kind "Widget"'],
    ['a wrong apiVersion', 'apiVersion: v2\nkind: Zone\nmetadata: { name: a }\n', 'f: document 1 (line 1): Zone "a" is invalid: apiVersion: must be "bulkhead.dev/v1" for kind Zone'],
    ['a bad name', 'apiVersion: bulkhead.dev/v1\nkind: Zone\nmetadata: { name: Zone_A }\n', 'is not a DNS label'],
    ['a bad spec field', zone('a', '  cpuOvercommitPercent: 5\n'), 'spec.cpuOvercommitPercent'],
    ['a scalar document', 'just text\n', 'f: document 1 (line 1): must be an object'],
  ])('rejects a document without %s', async (_what, text, want) => {
    const msg = await message(() => parseManifest(text, 'f'));
    expect(msg).toContain(want);
    expect(msg).not.toContain('\n');
  });

  it('names the line of a YAML syntax error', async () => {
    const msg = await message(() => parseManifest('apiVersion: bulkhead.dev/v1\nkind: Zone\nmetadata:\n  name: "a\n', 'f.yaml'));
    expect(msg).toMatch(/^f\.yaml: YAML error at line \d+, column \d+: /);
    expect(msg).not.toContain('\n');
  });

  it('a bad second document fails the whole file', async () => {
    const msg = await message(() => parseManifest(`${zone('a')}---\n${zone('b', '  bogus: 1\n')}`, 'f.yaml'));
    expect(msg).toContain('document 2 (line 8)');
    expect(msg).toContain('spec.bogus: unknown field');
  });
});

describe('apply handler', () => {
  it('sends nothing when any document is bad', async () => {
    const ctx = fakeContext({ stdin: `${zone('a')}---\n${zone('b', '  isolation2: x\n')}` });
    await expect(applyCommand.handler(ctx, { args: [], opts: { filename: '-' } })).rejects.toThrow(/document 2/);
    expect(ctx.clientCalls).toBe(0);
  });

  it('an empty file is an error, not a silent success', async () => {
    const ctx = fakeContext({ stdin: '---\n' });
    await expect(applyCommand.handler(ctx, { args: [], opts: { filename: '-' } })).rejects.toThrow('<stdin>: no objects to apply');
  });

  it('a missing file is one line', async () => {
    await expect(applyCommand.handler(fakeContext(), { args: [], opts: { filename: '/nope/x.yaml' } })).rejects.toThrow('cannot read /nope/x.yaml: no such file');
  });
});

const [doc] = await parseManifest(`${zone('a')}`, 'f');
if (!doc) throw new Error('no doc');

describe('mergeForUpdate', () => {
  const stored: Resource = {
    apiVersion: 'bulkhead.dev/v1',
    kind: 'Zone',
    metadata: { name: 'a', resourceVersion: '41', uid: 'u', annotations: { 'bulkhead.dev/owner': 'x' } },
    spec: doc.defaultedSpec,
  };

  it('unchanged when the stored spec is the file spec with defaults', async () => {
    expect(mergeForUpdate(stored, doc)).toBeUndefined();
  });

  it('takes spec and labels from the file, keeps resourceVersion and unspecified annotations', async () => {
    const [d2] = await parseManifest(zone('a', '  cpuOvercommitPercent: 300\n').replace('  name: a\n', '  name: a\n  labels: { env: prod }\n'), 'f');
    if (!d2) throw new Error('no doc');
    const next = mergeForUpdate(stored, d2);
    expect(next?.metadata).toMatchObject({ name: 'a', resourceVersion: '41', uid: 'u', labels: { env: 'prod' }, annotations: { 'bulkhead.dev/owner': 'x' } });
    expect(next?.spec).toEqual({ isolation: 'per-tenant', cpuOvercommitPercent: 300 });
  });

  it('file labels replace the user labels but keep the platform ones', async () => {
    const withLabels: Resource = { ...stored, metadata: { ...stored.metadata, labels: { 'bulkhead.dev/tenant': 'acme', old: 'x' } } };
    const [d3] = await parseManifest(zone('a').replace('  name: a\n', '  name: a\n  labels: { app: web }\n'), 'f');
    if (!d3) throw new Error('no doc');
    expect(mergeForUpdate(withLabels, d3)?.metadata.labels).toEqual({ 'bulkhead.dev/tenant': 'acme', app: 'web' });
    const same: Resource = { ...stored, metadata: { ...stored.metadata, labels: { 'bulkhead.dev/tenant': 'acme', app: 'web' } } };
    expect(mergeForUpdate(same, d3)).toBeUndefined();
  });
});

describe('client pieces', () => {
  it('path encodes names', async () => {
    expect(ApiClient.path('zones', 'a b')).toBe('/apis/bulkhead.dev/v1/zones/a%20b');
  });
});
