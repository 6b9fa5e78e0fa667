// parseResource over the kind registry: every rejection names the offending field by its path,
// defaults are filled, status is dropped, and nothing but a ValidationError ever escapes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError, type FieldCause } from './errors.js';
import { API_VERSION } from './meta.js';
import { KINDS, findKind, type KindDef } from './registry.js';
import { parseResource } from './validate.js';

const host = {
  apiVersion: API_VERSION,
  kind: 'Host',
  metadata: { name: 'h1' },
  spec: { zone: 'z1', sockets: 2, cores: 8, memoryMiB: 4096, nicMbps: 10_000, numaNodes: [{ id: 0, socket: 0, cores: 4, memoryMiB: 2048 }, { id: 1, socket: 1, cores: 4, memoryMiB: 2048 }] },
};
const vm = { apiVersion: API_VERSION, kind: 'VirtualMachine', metadata: { name: 'vm-1' }, spec: { tenant: 'acme', cpus: 2, memoryMiB: 1024 } };

/** Runs parseResource and returns the ValidationError's causes (fails the test if it does not throw one). */
function causesOf(input: unknown, expectKind?: KindDef): readonly FieldCause[] {
  try {
    parseResource(input, expectKind);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).causes;
  }
  throw new Error(`expected a ValidationError for ${JSON.stringify(input)}`);
}

function fieldsOf(input: unknown): string[] {
  return causesOf(input).map((c) => c.field);
}

describe('parseResource: field paths', () => {
  it('accepts a valid object and returns its kind definition', () => {
    const { def, obj } = parseResource(host);
    expect(def.kind).toBe('Host');
    expect(obj).toEqual(host);
  });

  it.each<{ name: string; input: unknown; field: string; message?: RegExp }>([
    { name: 'spec scalar of the wrong type', input: { ...vm, spec: { ...vm.spec, cpus: 'two' } }, field: 'spec.cpus', message: /integer/ },
    { name: 'spec scalar below its minimum', input: { ...vm, spec: { ...vm.spec, cpus: 0 } }, field: 'spec.cpus', message: /greater or equal to 1/ },
    { name: 'spec scalar above its maximum', input: { ...vm, spec: { ...vm.spec, cpus: 769 } }, field: 'spec.cpus', message: /less or equal to 768/ },
    { name: 'missing required spec field', input: { ...vm, spec: { tenant: 'acme', cpus: 2 } }, field: 'spec.memoryMiB', message: /required field is missing/ },
    {
      name: 'field of an array element',
      input: { ...host, spec: { ...host.spec, numaNodes: [{ id: 0, socket: 0, cores: 0, memoryMiB: 1 }] } },
      field: 'spec.numaNodes[0].cores',
    },
    {
      name: 'field of a later array element',
      input: { ...host, spec: { ...host.spec, numaNodes: [host.spec.numaNodes[0], { id: 1, socket: 1, cores: 4 }] } },
      field: 'spec.numaNodes[1].memoryMiB',
      message: /required field is missing/,
    },
    { name: 'missing spec on a kind that requires it', input: { apiVersion: API_VERSION, kind: 'Host', metadata: { name: 'h1' } }, field: 'spec', message: /required/ },
    { name: 'missing metadata', input: { apiVersion: API_VERSION, kind: 'Zone' }, field: 'metadata', message: /required/ },
    { name: 'metadata not an object', input: { apiVersion: API_VERSION, kind: 'Zone', metadata: 'z' }, field: 'metadata', message: /object/ },
    { name: 'missing name', input: { apiVersion: API_VERSION, kind: 'Zone', metadata: {} }, field: 'metadata.name', message: /required/ },
    { name: 'wrong apiVersion', input: { ...vm, apiVersion: 'v1' }, field: 'apiVersion', message: /bulkhead\.dev\/v1/ },
    { name: 'missing kind', input: { apiVersion: API_VERSION, metadata: { name: 'a' } }, field: 'kind', message: /required/ },
    { name: 'kind not a string', input: { ...vm, kind: 7 }, field: 'kind', message: /string/ },
    { name: 'unknown kind', input: { ...vm, kind: 'Pod' }, field: 'kind', message: /unknown kind "Pod"/ },
    { name: 'plural is not a kind', input: { ...vm, kind: 'virtualmachines' }, field: 'kind', message: /unknown kind/ },
    { name: 'body not an object', input: [vm], field: '(body)', message: /JSON object/ },
  ])('$name -> $field', ({ input, field, message }) => {
    const causes = causesOf(input);
    const cause = causes.find((c) => c.field === field);
    expect(cause, JSON.stringify(causes)).toBeDefined();
    if (message) expect(cause?.message).toMatch(message);
  });

  it('a bad NUMA node among good ones is reported by its index only', () => {
    const input = { ...host, spec: { ...host.spec, numaNodes: [host.spec.numaNodes[0], { id: -1, socket: 1, cores: 4, memoryMiB: 2048 }] } };
    expect(fieldsOf(input)).toEqual(['spec.numaNodes[1].id']);
  });

  it('reports every bad field at once, and the message names the object and the fields', () => {
    const input = { ...vm, metadata: { name: 'Bad_Name' }, spec: { tenant: 'acme', cpus: 'x', memoryMiB: 1 } };
    let err: unknown;
    try {
      parseResource(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const v = err as ValidationError;
    expect(v.causes.map((c) => c.field)).toEqual(['metadata.name', 'spec.cpus', 'spec.memoryMiB']);
    expect(v.kind).toBe('VirtualMachine');
    expect(v.code).toBe(422);
    expect(v.message).toMatch(/^VirtualMachine "Bad_Name" is invalid: /);
    expect(v.message).toContain('spec.cpus');
  });

  it('names unknown fields at the top level, in metadata, in spec and in array elements', () => {
    const input = {
      ...host,
      extra: true,
      metadata: { name: 'h1', colour: 'red' },
      spec: { ...host.spec, turbo: true, numaNodes: [{ id: 0, socket: 0, cores: 4, memoryMiB: 2048, hyper: 1 }] },
    };
    const causes = causesOf(input);
    for (const field of ['extra', 'metadata.colour', 'spec.turbo', 'spec.numaNodes[0].hyper']) {
      expect(causes).toContainEqual({ field, message: 'unknown field' });
    }
  });

  it.each([
    ['VirtualMachine', 'spec.sensitivity', { ...vm, spec: { ...vm.spec, sensitivity: 'secret' } }, ['"low"', '"moderate"', '"high"']],
    ['VirtualMachine', 'spec.powerState', { ...vm, spec: { ...vm.spec, powerState: 'Paused' } }, ['"On"', '"Off"']],
    ['Zone', 'spec.isolation', { apiVersion: API_VERSION, kind: 'Zone', metadata: { name: 'z' }, spec: { isolation: 'none' } }, ['"shared"', '"per-sensitivity"', '"per-tenant"']],
    ['Tenant', 'spec.sensitivity', { apiVersion: API_VERSION, kind: 'Tenant', metadata: { name: 't' }, spec: { sensitivity: 'top' } }, ['"low"', '"moderate"', '"high"']],
  ] as const)('%s %s: enum message lists the allowed values', (_kind, field, input, allowed) => {
    const cause = causesOf(input).find((c) => c.field === field);
    expect(cause?.message).toMatch(/^unsupported value /);
    for (const a of allowed) expect(cause?.message).toContain(a);
  });
});

describe('parseResource: names are DNS labels', () => {
  const zone = (name: unknown) => ({ apiVersion: API_VERSION, kind: 'Zone', metadata: { name } });

  it.each(['a', 'z1', '0', 'web-01', 'a-b-c', '9lives', 'x'.repeat(63)])('accepts %j', (name) => {
    expect(parseResource(zone(name)).obj.metadata.name).toBe(name);
  });

  it.each([
    ['Upper', /not a DNS label/],
    ['under_score', /not a DNS label/],
    ['-lead', /not a DNS label/],
    ['trail-', /not a DNS label/],
    ['dot.ted', /not a DNS label/],
    ['spa ce', /not a DNS label/],
    ['ümlaut', /not a DNS label/],
    ['x'.repeat(64), /63/],
    ['', /required|greater or equal to 1/],
    [42, /required|string/],
  ] as const)('rejects %j on metadata.name', (name, message) => {
    const messages = causesOf(zone(name)).filter((c) => c.field === 'metadata.name').map((c) => c.message);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join('; ')).toMatch(message);
  });
});

describe('parseResource: defaults, status, kinds', () => {
  it('fills Zone defaults: per-sensitivity isolation, 400% CPU and 100% memory overcommit', () => {
    const { obj } = parseResource({ apiVersion: API_VERSION, kind: 'Zone', metadata: { name: 'z' } });
    expect(obj.spec).toEqual({ isolation: 'per-sensitivity', cpuOvercommitPercent: 400, memoryOvercommitPercent: 100 });
  });

  it('keeps Zone values the user set and fills only the rest', () => {
    const { obj } = parseResource({ apiVersion: API_VERSION, kind: 'Zone', metadata: { name: 'z' }, spec: { isolation: 'per-tenant', cpuOvercommitPercent: 100, description: 'd' } });
    expect(obj.spec).toEqual({ description: 'd', isolation: 'per-tenant', cpuOvercommitPercent: 100, memoryOvercommitPercent: 100 });
  });

  it('drops status from user input (controllers own it)', () => {
    const { obj } = parseResource({ ...vm, status: { phase: 'Running', host: 'h1' } });
    expect(obj).not.toHaveProperty('status');
    expect(obj.spec).toEqual(vm.spec);
  });

  it('does not mutate its input', () => {
    const input = { apiVersion: API_VERSION, kind: 'Zone', metadata: { name: 'z' }, spec: {}, status: { hosts: 1 } };
    const copy = structuredClone(input);
    parseResource(input);
    expect(input).toEqual(copy);
  });

  it('defaults apiVersion and accepts the kind in any case', () => {
    const { obj } = parseResource({ kind: 'virtualmachine', metadata: { name: 'v' }, spec: vm.spec });
    expect(obj.kind).toBe('VirtualMachine');
    expect(obj.apiVersion).toBe(API_VERSION);
  });

  it('takes the kind from the URL when the body has none, and refuses a body of another kind', () => {
    const vmDef = findKind('VirtualMachine');
    expect(vmDef).toBeDefined();
    if (!vmDef) return;
    const { obj } = parseResource({ metadata: { name: 'v' }, spec: vm.spec }, vmDef);
    expect(obj.kind).toBe('VirtualMachine');
    expect(causesOf(host, vmDef)).toEqual([{ field: 'kind', message: 'is "Host" but the URL is for VirtualMachine' }]);
  });
});

describe('parseResource: property', () => {
  const kindNames = KINDS.flatMap((k) => [k.kind, k.kind.toLowerCase(), k.plural]);
  const name = fc.oneof(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/), fc.jsonValue());
  const objectish = fc.record(
    {
      apiVersion: fc.oneof(fc.constant(API_VERSION), fc.jsonValue()),
      kind: fc.oneof(fc.constantFrom(...kindNames), fc.jsonValue()),
      metadata: fc.oneof(fc.record({ name }, { requiredKeys: [] }), fc.jsonValue()),
      spec: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue()),
      status: fc.jsonValue(),
    },
    { requiredKeys: [] },
  );

  it('for any JSON input returns an object of a known kind or throws a ValidationError, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), objectish), (input) => {
        let result: ReturnType<typeof parseResource>;
        try {
          result = parseResource(input);
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
          expect(e.causes.length).toBeGreaterThan(0);
          return;
        }
        expect(KINDS).toContain(result.def);
        expect(result.obj.kind).toBe(result.def.kind);
        expect(result.obj.apiVersion).toBe(result.def.apiVersion);
        expect(result.obj).not.toHaveProperty('status');
      }),
      { numRuns: 2000 },
    );
  });
});
