import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../api/index.js';
import { defaultTopology, expandTopology, generateTopology, loadTopologyFile, parseTopology, parseTopologyText } from './topology.js';

const GOOD = `
zones:
  - name: zone-a
    description: first zone
    hostGroups:
      - count: 8
        namePrefix: zone-a-host-
        sockets: 2
        numaNodesPerSocket: 1
        coresPerSocket: 16
        memoryMiB: 524288
        nicMbps: 25000
        features: [sev-es]
`;

function causesOf(fn: () => unknown): { field: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return [...(e as ValidationError).causes];
  }
  throw new Error('expected a ValidationError');
}

describe('topology parsing', () => {
  it('parses YAML and expands host groups into zero-padded hosts with NUMA nodes', () => {
    const inv = expandTopology(parseTopologyText(GOOD));
    expect(inv.zones).toEqual([{ name: 'zone-a', description: 'first zone' }]);
    expect(inv.hosts.map((h) => h.name)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08'].map((i) => `zone-a-host-${i}`));
    const h = inv.hosts[0];
    expect(h).toMatchObject({ zone: 'zone-a', sockets: 2, cores: 32, memoryMiB: 524288, nicMbps: 25000, features: ['sev-es'] });
    expect(h?.numaNodes).toEqual([
      { id: 0, socket: 0, cores: 16, memoryMiB: 262144 },
      { id: 1, socket: 1, cores: 16, memoryMiB: 262144 },
    ]);
  });

  it('accepts JSON too', () => {
    const t = parseTopologyText(JSON.stringify({ zones: [{ name: 'z', hostGroups: [{ count: 100, namePrefix: 'h', sockets: 1, numaNodesPerSocket: 2, coresPerSocket: 8, memoryMiB: 65537, nicMbps: 10000 }] }] }));
    const hosts = expandTopology(t).hosts;
    expect(hosts[0]?.name).toBe('h001');
    expect(hosts[99]?.name).toBe('h100');
    expect(hosts[0]?.numaNodes.map((n) => n.memoryMiB)).toEqual([32769, 32768]);
  });

  it.each([
    ['memoryMiB: 524288', 'memoryMiB: lots', 'zones[0].hostGroups[0].memoryMiB', /integer/],
    ['memoryMiB: 524288', 'memoryMiB: 12', 'zones[0].hostGroups[0].memoryMiB', /between/],
    ['        nicMbps: 25000\n', '', 'zones[0].hostGroups[0].nicMbps', /required/],
    ['numaNodesPerSocket: 1', 'numaNodesPerSocket: 3', 'zones[0].hostGroups[0].coresPerSocket', /divide/],
    ['name: zone-a', 'name: Zone_A', 'zones[0].name', /DNS label/],
    ['namePrefix: zone-a-host-', 'namePrefix: Host_', 'zones[0].hostGroups[0].namePrefix', /DNS label/],
    ['features: [sev-es]', 'features: [SEV ES]', 'zones[0].hostGroups[0].features[0]', /feature/],
    ['sockets: 2', 'sockets: 2\n        sockts: 2', 'zones[0].hostGroups[0].sockts', /unknown field/],
  ])('names the field: %s -> %s', (from, to, field, message) => {
    expect(GOOD.includes(from)).toBe(true);
    const causes = causesOf(() => parseTopologyText(GOOD.replace(from, to)));
    expect(causes.find((c) => c.field === field)?.message).toMatch(message);
  });

  it('reports every bad field at once, and duplicate names', () => {
    const causes = causesOf(() =>
      parseTopology({
        zones: [
          { name: 'a', hostGroups: [{ count: 2, namePrefix: 'h', sockets: 0, numaNodesPerSocket: 1, coresPerSocket: 4, memoryMiB: 4096, nicMbps: 1000 }] },
          { name: 'a', hostGroups: [{ count: 2, namePrefix: 'h', sockets: 1, numaNodesPerSocket: 1, coresPerSocket: 4, memoryMiB: 4096, nicMbps: 1000 }] },
          { name: 'b', hostGroups: [] },
        ],
      }),
    );
    expect(causes.map((c) => c.field)).toEqual(['zones[0].hostGroups[0].sockets', 'zones[1].name', 'zones[2].hostGroups']);
  });

  it('rejects duplicate host names across groups', () => {
    const g = { count: 2, namePrefix: 'h', sockets: 1, numaNodesPerSocket: 1, coresPerSocket: 4, memoryMiB: 4096, nicMbps: 1000 };
    const causes = causesOf(() => parseTopology({ zones: [{ name: 'a', hostGroups: [g] }, { name: 'b', hostGroups: [g] }] }));
    expect(causes[0]).toMatchObject({ field: 'zones[1].hostGroups[0].namePrefix', message: expect.stringMatching(/h01/) });
  });

  it('rejects documents that are not topologies', () => {
    expect(causesOf(() => parseTopologyText('zones: [')).map((c) => c.field)).toEqual(['(document)']);
    expect(causesOf(() => parseTopologyText('- 1')).map((c) => c.field)).toEqual(['(document)']);
    expect(causesOf(() => parseTopologyText('zones: []')).map((c) => c.field)).toEqual(['zones']);
  });

  it('loads a file and names it in errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'topo-'));
    const good = join(dir, 'dc.yaml');
    await writeFile(good, GOOD);
    expect((await loadTopologyFile(good)).zones).toHaveLength(1);
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, GOOD.replace('memoryMiB: 524288', 'memoryMiB: -1'));
    await expect(loadTopologyFile(bad)).rejects.toThrow(/bad\.yaml.*zones\[0\]\.hostGroups\[0\]\.memoryMiB/);
  });
});

describe('built-in topologies', () => {
  it('default: 2 zones x 8 hosts, 2 sockets / 2 NUMA nodes / 32 cores / 512 GiB / 25 Gb/s, half with sev-es', () => {
    const { zones, hosts } = expandTopology(defaultTopology());
    expect(zones.map((z) => z.name)).toEqual(['zone-a', 'zone-b']);
    expect(hosts).toHaveLength(16);
    for (const z of ['zone-a', 'zone-b']) {
      const hz = hosts.filter((h) => h.zone === z);
      expect(hz.map((h) => h.name)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => `${z}-host-0${i}`));
      expect(hz.filter((h) => h.features.includes('sev-es'))).toHaveLength(4);
    }
    for (const h of hosts) expect(h).toMatchObject({ sockets: 2, cores: 32, memoryMiB: 512 * 1024, nicMbps: 25_000 });
    for (const h of hosts) expect(h.numaNodes).toHaveLength(2);
  });

  it('generates thousands of hosts with one naming width per zone', () => {
    const { zones, hosts } = expandTopology(generateTopology({ zones: 4, hostsPerZone: 2500 }));
    expect(zones).toHaveLength(4);
    expect(hosts).toHaveLength(10_000);
    expect(new Set(hosts.map((h) => h.name)).size).toBe(10_000);
    expect(hosts[0]?.name).toBe('zone-a-host-0001');
    expect(hosts[2499]?.name).toBe('zone-a-host-2500');
    expect(hosts.filter((h) => h.features.includes('sev-es'))).toHaveLength(5_000);
  });
});
