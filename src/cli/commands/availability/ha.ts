/**
 * `bulkhead ha status|enable|disable ZONE`: a zone's vSphere-style HA. `status` shows the
 * admission-control policy with its numbers, each host's HA state and the VMs HA is restarting;
 * `enable` sets the policy (tolerate N host failures by percentage, explicit percentages,
 * dedicated failover hosts, slots, or none) and the dead-host threshold.
 */
import type { Zone, ZoneHa } from '../../../api/index.js';
import { ApiClient } from '../../client.js';
import type { Context } from '../../context.js';
import { UserError } from '../../errors.js';
import { optionalPositiveInt, optionalString, parseDurationSeconds } from '../../flags.js';
import type { Output } from '../../output.js';
import { formatTable } from '../../table.js';
import { defineCommand } from '../../spec.js';

interface Summary {
  readonly zone: string;
  readonly enabled: boolean;
  readonly deadAfterSeconds: number;
  readonly policy: { readonly type: string; readonly cpuPercent?: number; readonly memPercent?: number; readonly hosts?: readonly string[]; readonly failures?: number };
  readonly admission: { readonly message: string };
  readonly hosts: readonly { readonly name: string; readonly state: string; readonly ha: string; readonly maintenance: string; readonly failover: boolean; readonly vms: number }[];
  readonly restarts: readonly { readonly vm: string; readonly reason: string; readonly message: string }[];
}

function policyText(p: Summary['policy']): string {
  switch (p.type) {
    case 'percentage':
      return `percentage: ${Math.round((p.cpuPercent ?? 0) * 10) / 10}% CPU and ${Math.round((p.memPercent ?? 0) * 10) / 10}% memory kept for failover`;
    case 'failoverHosts':
      return `dedicated failover hosts: ${(p.hosts ?? []).join(', ') || '<none>'}`;
    case 'slots':
      return `slots: keep room for ${p.failures ?? 1} host failure(s)`;
    default:
      return 'disabled';
  }
}

export function renderHaSummary(s: Summary): string[] {
  const lines = [
    `Zone:              ${s.zone}`,
    `HA:                ${s.enabled ? 'enabled' : 'disabled'}`,
    `Dead after:        ${s.deadAfterSeconds} s of silence`,
    `Admission control: ${policyText(s.policy)}`,
    `Room for new VMs:  ${s.enabled ? s.admission.message : 'not limited by HA'}`,
    '',
    'Hosts:',
    ...formatTable(['HOST', 'STATE', 'HA', 'MAINTENANCE', 'FAILOVER', 'VMS'], s.hosts.map((h) => [h.name, h.state, h.ha, h.maintenance, h.failover ? 'yes' : '', String(h.vms)]))
      .trimEnd()
      .split('\n')
      .map((l) => `  ${l}`),
    '',
    'Restarts:',
  ];
  if (s.restarts.length === 0) lines.push('  <none>');
  else lines.push(...formatTable(['VM', 'STATE', 'MESSAGE'], s.restarts.map((r) => [r.vm, r.reason, r.message])).trimEnd().split('\n').map((l) => `  ${l}`));
  return lines;
}

export const haStatusCommand = defineCommand<{ zone: string }>({
  name: 'status',
  description: "A zone's HA: admission-control numbers, host HA states, restarts under way",
  args: [{ name: 'zone', description: 'zone name', required: true }],
  examples: ['bulkhead ha status zone-a', 'bulkhead ha status zone-a -o json'],
  parse: ({ args }) => ({ zone: args[0] ?? '' }),
  run: async (ctx, { zone }): Promise<Output> => {
    const s = await ctx.client().request<Summary>('GET', `${ApiClient.path('zones', zone)}/ha`);
    return { type: 'message', lines: renderHaSummary(s), data: s, names: [`zone/${zone}`] };
  },
});

const POLICIES = ['percentage', 'failoverHosts', 'slots', 'disabled'] as const;

export interface HaEnableInput {
  readonly zone: string;
  readonly ha: ZoneHa;
}

/** Flags into the Zone's `spec.ha` (percentages are whole numbers, as the schema wants). */
export function parseHaFlags(zone: string, opts: Readonly<Record<string, unknown>>): HaEnableInput {
  const policy = optionalString(opts.policy, '--policy') ?? 'percentage';
  if (!(POLICIES as readonly string[]).includes(policy)) throw new UserError(`--policy must be one of ${POLICIES.join(', ')}, got "${policy}"`);
  const tolerate = optionalPositiveInt(opts.tolerateHostFailures, '--tolerate-host-failures');
  const cpu = optionalPositiveInt(opts.cpuPercent, '--cpu-percent', { allowZero: true });
  const mem = optionalPositiveInt(opts.memoryPercent, '--memory-percent', { allowZero: true });
  for (const [v, f] of [[cpu, '--cpu-percent'], [mem, '--memory-percent']] as const) if (v !== undefined && v > 100) throw new UserError(`${f} must be at most 100, got ${v}`);
  const hosts = optionalString(opts.failoverHosts, '--failover-hosts')?.split(',').map((h) => h.trim()).filter(Boolean);
  if (policy === 'failoverHosts' && !hosts?.length) throw new UserError('--policy failoverHosts needs --failover-hosts h1,h2');
  if (policy !== 'failoverHosts' && hosts) throw new UserError('--failover-hosts goes with --policy failoverHosts');
  const dead = opts.deadAfter === undefined ? undefined : parseDurationSeconds(opts.deadAfter, '--dead-after');
  if (dead !== undefined && dead > 3600) throw new UserError(`--dead-after must be at most 1h, got ${dead}s`);
  return {
    zone,
    ha: {
      enabled: true,
      ...(dead !== undefined ? { deadAfterSeconds: dead } : {}),
      admissionControl: {
        policy: policy as (typeof POLICIES)[number],
        ...(tolerate !== undefined ? { tolerateHostFailures: tolerate } : {}),
        ...(cpu !== undefined ? { cpuPercent: cpu } : {}),
        ...(mem !== undefined ? { memoryPercent: mem } : {}),
        ...(hosts ? { failoverHosts: hosts } : {}),
      },
    },
  };
}

async function setHa(ctx: Context, zone: string, ha: ZoneHa): Promise<Zone> {
  const client = ctx.client();
  const z = await client.get<Zone>('zones', zone);
  return client.replace<Zone>('zones', zone, { ...z, spec: { ...z.spec, ha } });
}

export const haEnableCommand = defineCommand<HaEnableInput>({
  name: 'enable',
  description: 'Turn HA on for a zone, with its admission-control policy',
  args: [{ name: 'zone', description: 'zone name', required: true }],
  options: [
    { flags: '--policy <policy>', description: `admission control: ${POLICIES.join(' | ')}`, default: 'percentage' },
    { flags: '--tolerate-host-failures <n>', description: 'host failures to keep room for (percentage and slots; default 1)' },
    { flags: '--cpu-percent <n>', description: 'percentage policy: share of CPU to keep free (instead of --tolerate-host-failures)' },
    { flags: '--memory-percent <n>', description: 'percentage policy: share of memory to keep free' },
    { flags: '--failover-hosts <hosts>', description: 'failoverHosts policy: comma-separated hosts kept empty for failover' },
    { flags: '--dead-after <duration>', description: 'silence after which a host is declared dead (default 15s)' },
  ],
  examples: ['bulkhead ha enable zone-a', 'bulkhead ha enable zone-a --policy failoverHosts --failover-hosts zone-a-host-08', 'bulkhead ha enable zone-b --policy disabled --dead-after 30s'],
  parse: ({ args, opts }) => parseHaFlags(args[0] ?? '', opts),
  run: async (ctx, input): Promise<Output> => {
    const z = await setHa(ctx, input.zone, input.ha);
    return { type: 'message', lines: [`zone/${input.zone} HA enabled (${input.ha.admissionControl?.policy ?? 'percentage'})`], data: z, names: [`zone/${input.zone}`] };
  },
});

export const haDisableCommand = defineCommand<{ zone: string }>({
  name: 'disable',
  description: 'Turn HA off for a zone (no restarts, no admission control)',
  args: [{ name: 'zone', description: 'zone name', required: true }],
  examples: ['bulkhead ha disable zone-a'],
  parse: ({ args }) => ({ zone: args[0] ?? '' }),
  run: async (ctx, { zone }): Promise<Output> => {
    const z = await setHa(ctx, zone, { enabled: false });
    return { type: 'message', lines: [`zone/${zone} HA disabled`], data: z, names: [`zone/${zone}`] };
  },
});
