/**
 * The shape of a datacenter: zones of hosts, written as YAML or JSON and expanded into the
 * HostInventory the driver reports. Hosts come from templates (host groups) so that a file of a
 * dozen lines can describe thousands of hosts. Parsing is strict: every problem is reported with
 * its field path (`zones[0].hostGroups[1].memoryMiB`) in one ValidationError.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { nameCauses, ValidationError, type FieldCause } from '../api/index.js';
import type { HostInventory, ZoneInventory } from './driver.js';

/** A template that generates `count` identical hosts named `<namePrefix><index>`. */
export interface HostGroup {
  readonly count: number;
  readonly namePrefix: string;
  /** First index (default 1). */
  readonly startIndex?: number;
  /** Digits of the index (default: the width of the last index, at least 2). */
  readonly indexWidth?: number;
  readonly sockets: number;
  readonly numaNodesPerSocket: number;
  readonly coresPerSocket: number;
  /** Memory of the whole host, split evenly over its NUMA nodes. */
  readonly memoryMiB: number;
  readonly nicMbps: number;
  readonly features?: readonly string[];
}

export interface TopologyZone {
  readonly name: string;
  readonly description?: string;
  readonly hostGroups: readonly HostGroup[];
}

/** A datacenter description: what the simulated driver builds its hosts from. */
export interface Topology {
  readonly zones: readonly TopologyZone[];
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

const FEATURE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const PREFIX = /^[a-z0-9][-a-z0-9]*$/;

/** Integer bounds of the numeric host-group fields. */
const LIMITS = {
  count: [1, 100_000],
  startIndex: [0, 1_000_000],
  indexWidth: [1, 7],
  sockets: [1, 16],
  numaNodesPerSocket: [1, 16],
  coresPerSocket: [1, 1024],
  memoryMiB: [1024, 64 * 1024 * 1024],
  nicMbps: [100, 1_600_000],
} as const;

function unknownFields(obj: Rec, allowed: readonly string[], path: string, causes: FieldCause[]): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) causes.push({ field: path ? `${path}.${k}` : k, message: 'unknown field' });
}

function int(obj: Rec, key: keyof typeof LIMITS, path: string, causes: FieldCause[]): number {
  const v = obj[key];
  const field = `${path}.${key}`;
  if (v === undefined) {
    causes.push({ field, message: 'required field is missing' });
    return 0;
  }
  const [min, max] = LIMITS[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) causes.push({ field, message: `must be an integer, got ${JSON.stringify(v)}` });
  else if (v < min || v > max) causes.push({ field, message: `must be between ${min} and ${max}, got ${v}` });
  else return v;
  return 0;
}

function parseGroup(g: unknown, path: string, causes: FieldCause[]): HostGroup | undefined {
  if (!isRec(g)) {
    causes.push({ field: path, message: 'must be an object' });
    return undefined;
  }
  const before = causes.length;
  unknownFields(g, ['namePrefix', ...Object.keys(LIMITS), 'features'], path, causes);
  const count = int(g, 'count', path, causes);
  const startIndex = g['startIndex'] === undefined ? undefined : int(g, 'startIndex', path, causes);
  const indexWidth = g['indexWidth'] === undefined ? undefined : int(g, 'indexWidth', path, causes);
  const sockets = int(g, 'sockets', path, causes);
  const numaNodesPerSocket = int(g, 'numaNodesPerSocket', path, causes);
  const coresPerSocket = int(g, 'coresPerSocket', path, causes);
  const memoryMiB = int(g, 'memoryMiB', path, causes);
  const nicMbps = int(g, 'nicMbps', path, causes);
  const prefix = g['namePrefix'];
  if (typeof prefix !== 'string' || prefix === '') causes.push({ field: `${path}.namePrefix`, message: 'required field is missing' });
  else if (!PREFIX.test(prefix) || prefix.length > 55)
    causes.push({ field: `${path}.namePrefix`, message: `"${prefix}" must be the start of a DNS label (lower-case letters, digits, '-'; at most 55 characters)` });
  if (numaNodesPerSocket > 0 && coresPerSocket > 0 && coresPerSocket % numaNodesPerSocket !== 0)
    causes.push({ field: `${path}.coresPerSocket`, message: `${coresPerSocket} cores do not divide over ${numaNodesPerSocket} NUMA nodes per socket` });
  let features: string[] | undefined;
  const f = g['features'];
  if (f !== undefined) {
    if (!Array.isArray(f)) causes.push({ field: `${path}.features`, message: 'must be a list of strings' });
    else {
      features = [];
      f.forEach((x: unknown, i) => {
        if (typeof x !== 'string' || !FEATURE.test(x)) causes.push({ field: `${path}.features[${i}]`, message: `${JSON.stringify(x)} is not a feature name` });
        else features?.push(x);
      });
    }
  }
  if (causes.length > before) return undefined;
  return {
    count,
    namePrefix: prefix as string,
    ...(startIndex === undefined ? {} : { startIndex }),
    ...(indexWidth === undefined ? {} : { indexWidth }),
    sockets,
    numaNodesPerSocket,
    coresPerSocket,
    memoryMiB,
    nicMbps,
    ...(features ? { features } : {}),
  };
}

/** Host names of a group, in index order. */
export function groupHostNames(g: HostGroup): string[] {
  const start = g.startIndex ?? 1;
  const width = g.indexWidth ?? Math.max(2, String(start + g.count - 1).length);
  const names: string[] = [];
  for (let i = 0; i < g.count; i++) names.push(`${g.namePrefix}${String(start + i).padStart(width, '0')}`);
  return names;
}

/** Validates unknown input (parsed YAML or JSON) into a Topology, or throws a ValidationError naming every bad field. */
export function parseTopology(input: unknown, source?: string): Topology {
  const causes: FieldCause[] = [];
  const ctx = { kind: 'Topology', ...(source ? { name: source } : {}) };
  if (!isRec(input)) throw new ValidationError([{ field: '(document)', message: 'must be an object with a `zones` list' }], ctx);
  unknownFields(input, ['zones'], '', causes);
  const zonesIn = input['zones'];
  if (!Array.isArray(zonesIn) || zonesIn.length === 0) {
    causes.push({ field: 'zones', message: 'must be a non-empty list' });
    throw new ValidationError(causes, ctx);
  }
  const zones: TopologyZone[] = [];
  const zoneNames = new Set<string>();
  const hostNames = new Map<string, string>();
  zonesIn.forEach((z: unknown, zi) => {
    const zp = `zones[${zi}]`;
    if (!isRec(z)) return void causes.push({ field: zp, message: 'must be an object' });
    unknownFields(z, ['name', 'description', 'hostGroups'], zp, causes);
    const name = z['name'];
    const nc = nameCauses(name, `${zp}.name`);
    causes.push(...nc);
    if (typeof name === 'string' && nc.length === 0) {
      if (zoneNames.has(name)) causes.push({ field: `${zp}.name`, message: `duplicate zone name "${name}"` });
      zoneNames.add(name);
    }
    const description = z['description'];
    if (description !== undefined && typeof description !== 'string') causes.push({ field: `${zp}.description`, message: 'must be a string' });
    const groupsIn = z['hostGroups'];
    if (!Array.isArray(groupsIn) || groupsIn.length === 0) return void causes.push({ field: `${zp}.hostGroups`, message: 'must be a non-empty list' });
    const groups: HostGroup[] = [];
    groupsIn.forEach((g: unknown, gi) => {
      const gp = `${zp}.hostGroups[${gi}]`;
      const group = parseGroup(g, gp, causes);
      if (!group) return;
      for (const h of groupHostNames(group)) {
        const other = hostNames.get(h);
        if (other !== undefined) {
          causes.push({ field: `${gp}.namePrefix`, message: `host name "${h}" is also generated by ${other}` });
          break;
        }
        hostNames.set(h, gp);
      }
      groups.push(group);
    });
    if (typeof name === 'string') zones.push({ name, ...(typeof description === 'string' ? { description } : {}), hostGroups: groups });
  });
  if (causes.length) throw new ValidationError(causes.slice(0, 20), ctx);
  return { zones };
}

/** Parses YAML or JSON text (JSON is YAML) into a Topology. */
export function parseTopologyText(text: string, source?: string): Topology {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ValidationError([{ field: '(document)', message: `not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}` }], {
      kind: 'Topology',
      ...(source ? { name: source } : {}),
    });
  }
  return parseTopology(doc, source);
}

/** Reads and parses a topology file (`.yaml`, `.yml` or `.json`). */
export async function loadTopologyFile(path: string): Promise<Topology> {
  return parseTopologyText(await readFile(path, 'utf8'), path);
}

/** Expands a topology into the zones and hosts a driver reports, in file order. */
export function expandTopology(t: Topology): { zones: ZoneInventory[]; hosts: HostInventory[] } {
  const zones: ZoneInventory[] = [];
  const hosts: HostInventory[] = [];
  for (const z of t.zones) {
    zones.push(Object.freeze({ name: z.name, ...(z.description === undefined ? {} : { description: z.description }) }));
    for (const g of z.hostGroups) {
      const nodeCount = g.sockets * g.numaNodesPerSocket;
      const coresPerNode = g.coresPerSocket / g.numaNodesPerSocket;
      const memBase = Math.floor(g.memoryMiB / nodeCount);
      const memExtra = g.memoryMiB - memBase * nodeCount;
      // One frozen NUMA layout and feature list shared by every host of the group (10,000 hosts stay cheap).
      const numaNodes = Object.freeze(
        Array.from({ length: nodeCount }, (_, id) =>
          Object.freeze({ id, socket: Math.floor(id / g.numaNodesPerSocket), cores: coresPerNode, memoryMiB: memBase + (id < memExtra ? 1 : 0) }),
        ),
      );
      const features = Object.freeze([...(g.features ?? [])]);
      for (const name of groupHostNames(g)) {
        hosts.push(
          Object.freeze({ name, zone: z.name, sockets: g.sockets, cores: g.sockets * g.coresPerSocket, memoryMiB: g.memoryMiB, numaNodes, nicMbps: g.nicMbps, features }),
        );
      }
    }
  }
  return { zones, hosts };
}

/** Options of `generateTopology`; every host gets the same hardware. */
export interface GenerateTopologyOptions {
  readonly zones: number;
  readonly hostsPerZone: number;
  readonly sockets?: number;
  readonly numaNodesPerSocket?: number;
  readonly coresPerSocket?: number;
  readonly memoryMiB?: number;
  readonly nicMbps?: number;
  /** Fraction of each zone's hosts (the first ones) with the `sev-es` feature; default 0.5. */
  readonly sevEsFraction?: number;
}

/** Zone name for index i: zone-a..zone-z, then zone-27, zone-28, ... */
function zoneName(i: number): string {
  return i < 26 ? `zone-${String.fromCharCode(97 + i)}` : `zone-${i + 1}`;
}

/** A uniform datacenter of any size, for benchmarks and scale tests (thousands of hosts). */
export function generateTopology(o: GenerateTopologyOptions): Topology {
  const hw = {
    sockets: o.sockets ?? 2,
    numaNodesPerSocket: o.numaNodesPerSocket ?? 1,
    coresPerSocket: o.coresPerSocket ?? 16,
    memoryMiB: o.memoryMiB ?? 512 * 1024,
    nicMbps: o.nicMbps ?? 25_000,
  };
  const sev = Math.round(o.hostsPerZone * (o.sevEsFraction ?? 0.5));
  const indexWidth = Math.max(2, String(o.hostsPerZone).length);
  const zones: TopologyZone[] = [];
  for (let i = 0; i < o.zones; i++) {
    const name = zoneName(i);
    const namePrefix = `${name}-host-`;
    const groups: HostGroup[] = [];
    // Both groups share the prefix and one numbering per zone, padded to the zone's width.
    const group = (startIndex: number, count: number): HostGroup => ({ count, namePrefix, startIndex, indexWidth, ...hw });
    if (sev > 0) groups.push({ ...group(1, sev), features: ['sev-es'] });
    if (o.hostsPerZone - sev > 0) groups.push(group(sev + 1, o.hostsPerZone - sev));
    zones.push({ name, description: `generated zone ${i + 1} of ${o.zones}`, hostGroups: groups });
  }
  return parseTopology(JSON.parse(JSON.stringify({ zones })) as unknown);
}

/**
 * The default datacenter: two zones of eight hosts (2 sockets, one NUMA node each, 32 cores,
 * 512 GiB, 25 Gb/s). Half the hosts of each zone have `sev-es`, so encrypted-memory VMs fit.
 */
export function defaultTopology(): Topology {
  return generateTopology({ zones: 2, hostsPerZone: 8 });
}
