/** The renderer: table, wide, json, yaml and name for every output shape, and watch streaming. */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Resource } from '../../src/api/index.js';
import type { WatchEventLine } from '../../src/cli/client.js';
import { resolveKind } from '../../src/cli/kinds.js';
import type { Output } from '../../src/cli/output.js';
import { emit, render, shouldColor } from '../../src/cli/render.js';

const NOW = Date.parse('2025-01-10T12:00:00Z');
const vmKind = await resolveKind('vm');

const vms: Resource[] = [
  {
    apiVersion: 'bulkhead.dev/v1',
    kind: 'VirtualMachine',
    metadata: { name: 'web-1', creationTimestamp: '2025-01-10T11:57:00Z' },
    spec: { tenant: 'acme', cpus: 2, memoryMiB: 4096, sensitivity: 'high' },
    status: { phase: 'Running', host: 'h-003', numaNodes: [0, 1], zone: 'zone-a' },
  },
  {
    apiVersion: 'bulkhead.dev/v1',
    kind: 'VirtualMachine',
    metadata: { name: 'batch-10', creationTimestamp: '2025-01-06T12:00:00Z' },
    spec: { tenant: 'beta', cpus: 16, memoryMiB: 65536 },
  },
];

const list: Output = { type: 'resources', kind: vmKind, items: vms, single: false };
const rows = (s: string) => s.trimEnd().split('\n').map((l) => l.split(/\s{2,}/));

describe('resources', () => {
  it('table: the kind columns, aligned, AGE relative, <none> for missing', async () => {
    const { stdout, stderr } = await render(list, { format: 'table', color: false, now: NOW });
    expect(stderr).toBe('');
    expect(rows(stdout)).toEqual([
      ['NAME', 'TENANT', 'CPUS', 'MEMORY-MIB', 'PHASE', 'HOST', 'AGE'],
      ['web-1', 'acme', '2', '4096', 'Running', 'h-003', '3m'],
      ['batch-10', 'beta', '16', '65536', '<none>', '<none>', '4d'],
    ]);
    const lines = stdout.trimEnd().split('\n');
    // Columns line up: HOST starts at the same offset on every line.
    const at = lines.map((l, i) => l.indexOf(i === 0 ? 'HOST' : i === 1 ? 'h-003' : '<none>   '));
    expect(new Set([at[0], at[1]]).size).toBe(1);
  });

  it('wide adds the wide columns and joins arrays with commas', async () => {
    const { stdout } = await render(list, { format: 'wide', color: false, now: NOW });
    expect(rows(stdout)[0]).toEqual(['NAME', 'TENANT', 'CPUS', 'MEMORY-MIB', 'PHASE', 'HOST', 'NUMA', 'ZONE', 'SENSITIVITY', 'AGE']);
    expect(rows(stdout)[1]).toEqual(['web-1', 'acme', '2', '4096', 'Running', 'h-003', '0,1', 'zone-a', 'high', '3m']);
  });

  it('json: a list is exactly { items }, one object is the object', async () => {
    expect(JSON.parse((await render(list, { format: 'json', color: false })).stdout)).toEqual({ items: vms });
    const one: Output = { type: 'resources', kind: vmKind, items: [vms[0] as Resource], single: true };
    expect(JSON.parse((await render(one, { format: 'json', color: false })).stdout)).toEqual(vms[0]);
  });

  it('yaml round-trips', async () => {
    expect(parseYaml((await render(list, { format: 'yaml', color: false })).stdout)).toEqual({ items: vms });
  });

  it('name prints kind/name', async () => {
    expect((await render(list, { format: 'name', color: false })).stdout).toBe('virtualmachine/web-1\nvirtualmachine/batch-10\n');
  });

  it('an empty table prints nothing on stdout and a note on stderr', async () => {
    const r = await render({ type: 'resources', kind: vmKind, items: [], single: false }, { format: 'table', color: false });
    expect(r).toEqual({ stdout: '', stderr: 'No virtualmachines found.\n' });
    expect(JSON.parse((await render({ type: 'resources', kind: vmKind, items: [], single: false }, { format: 'json', color: false })).stdout)).toEqual({ items: [] });
  });

  it('colour only bolds the header', async () => {
    const { stdout } = await render(list, { format: 'table', color: true, now: NOW });
    expect(stdout.startsWith('\x1b[1mNAME')).toBe(true);
    expect(stdout.split('\n')[1]).not.toContain('\x1b');
  });
});

describe('shouldColor', () => {
  it.each([
    [true, {}, true],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, {}, false],
    [undefined, {}, false],
  ])('tty=%s env=%j -> %s', (tty, env, want) => {
    expect(shouldColor(tty, env)).toBe(want);
  });
});

describe('message and table outputs', () => {
  const msg: Output = { type: 'message', lines: ['zone/a created', 'zone/b unchanged'], data: { items: [1, 2] }, names: ['zone/a', 'zone/b'] };
  it('lines for people, data for scripts, names for pipes', async () => {
    expect((await render(msg, { format: 'table', color: false })).stdout).toBe('zone/a created\nzone/b unchanged\n');
    expect(JSON.parse((await render(msg, { format: 'json', color: false })).stdout)).toEqual({ items: [1, 2] });
    expect((await render(msg, { format: 'name', color: false })).stdout).toBe('zone/a\nzone/b\n');
  });

  it('a table output with no rows prints its note on stderr', async () => {
    const t: Output = { type: 'table', headers: ['A', 'B'], rows: [], data: { items: [] }, emptyNote: 'nothing here' };
    expect(await render(t, { format: 'table', color: false })).toEqual({ stdout: '', stderr: 'nothing here\n' });
    const t2: Output = { ...t, rows: [['1', 'x'], ['22', 'y']] };
    expect((await render(t2, { format: 'table', color: false })).stdout).toBe('A    B\n1    x\n22   y\n');
  });
});

describe('describe', () => {
  it('shows sections and the placement explanation of a VM', async () => {
    const vm: Resource = {
      ...(vms[0] as Resource),
      status: {
        phase: 'Running',
        host: 'h-003',
        numaNodes: [1],
        conditions: [{ type: 'Scheduled', status: 'True', reason: 'Placed', message: 'placed on h-003', lastTransitionTime: '2025-01-10T11:58:00Z' }],
        placement: {
          evaluated: 16,
          feasible: 5,
          filtered: { InsufficientMemory: 3, SensitivityConflict: 8 },
          topScores: [
            { host: 'h-003', score: 92, scores: { balanced: 40, numa: 52 } },
            { host: 'h-007', score: 80, scores: { balanced: 35, numa: 45 } },
          ],
          chosen: 'h-003',
          durationMicros: 420,
          seed: 7,
          message: 'placed on h-003 (NUMA node 1)',
        },
      },
    };
    const { stdout } = await render({ type: 'describe', kind: vmKind, object: vm }, { format: 'table', color: false, now: NOW });
    expect(stdout).toMatch(/^Name:\s+web-1$/m);
    expect(stdout).toMatch(/^Spec:\n {2}tenant: acme\n {2}cpus: 2$/m);
    expect(stdout).toMatch(/^Status:\n {2}phase: Running$/m);
    expect(stdout).toMatch(/^ {2}TYPE\s+STATUS\s+REASON\s+AGE\s+MESSAGE\n {2}Scheduled\s+True\s+Placed\s+2m\s+placed on h-003$/m);
    expect(stdout).toMatch(/^ {2}Evaluated:\s+16 hosts, 5 feasible$/m);
    expect(stdout).toMatch(/^ {4}SensitivityConflict\s+8\n {4}InsufficientMemory\s+3$/m);
    expect(stdout).toMatch(/^ {4}HOST\s+SCORE\s+BALANCED\s+NUMA\n {4}h-003 \*\s+92\s+40\s+52$/m);
    expect(stdout).toMatch(/^ {2}Chosen:\s+h-003 \(NUMA nodes 1\)$/m);
    expect(stdout).toMatch(/^ {2}Message:\s+placed on h-003 \(NUMA node 1\)$/m);
    // placement and conditions are not repeated inside Status
    expect(stdout.match(/evaluated/gi)?.length).toBe(1);
  });

  it('a VM not yet scheduled says so', async () => {
    const { stdout } = await render({ type: 'describe', kind: vmKind, object: vms[1] as Resource }, { format: 'table', color: false, now: NOW });
    expect(stdout).toContain('Placement:\n  not yet scheduled');
    expect(stdout).toContain('Conditions:\n  <none>');
  });
});

describe('watch', () => {
  async function* events(): AsyncGenerator<WatchEventLine> {
    yield { type: 'MODIFIED', object: { ...(vms[1] as Resource), status: { phase: 'Running', host: 'h-001' } } };
    yield { type: 'DELETED', object: vms[0] as Resource };
  }
  const out = (format: 'table' | 'json' | 'name') => {
    let stdout = '';
    return emit({ type: 'watch', kind: vmKind, initial: vms, events: events() }, { format, color: false, now: NOW }, { stdout: (s) => (stdout += s), stderr: () => undefined }).then(() => stdout);
  };

  it('table: the first batch then one aligned row per event', async () => {
    const lines = (await out('table')).trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatch(/^batch-10\s+beta\s+16\s+65536\s+Running\s+h-001\s+\d+d$/);
    expect(lines[3]?.indexOf('beta')).toBe(lines[0]?.indexOf('TENANT'));
  });

  it('json: one object per line', async () => {
    const lines = (await out('json')).trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(['ADDED', 'ADDED', 'MODIFIED', 'DELETED']);
  });

  it('name: kind/name per event', async () => {
    expect(await out('name')).toBe('virtualmachine/web-1\nvirtualmachine/batch-10\nvirtualmachine/batch-10\nvirtualmachine/web-1\n');
  });
});
