/**
 * `bulkhead vm create|list`: the VirtualMachine shortcuts. `create --wait` follows the VM until it
 * runs, or until the scheduler says it cannot be placed (condition Scheduled=False), with progress
 * on stderr.
 */
import type { KindDef, VirtualMachine, VirtualMachineSpec } from '../../api/index.js';
import type { Context } from '../context.js';
import { UserError } from '../errors.js';
import { optionalString, parseDurationSeconds, parsePositiveInt, requiredString } from '../flags.js';
import { qualifiedName, resolveKind } from '../kinds.js';
import type { Output } from '../output.js';
import { defineCommand } from '../spec.js';
import { pollUntil } from '../wait.js';
import { LIST_OPTIONS, parseListInput, runGet, type GetInput } from './get.js';

const vmKind = () => resolveKind('VirtualMachine');

export interface VmCreateInput {
  readonly name: string;
  readonly spec: VirtualMachineSpec;
  readonly wait: boolean;
  readonly timeoutSeconds: number;
}

/** Outcome of watching a VM come up: running, or a one-line reason it will not. */
export function vmOutcome(vm: VirtualMachine): { ok: true } | { ok: false; reason: string } | undefined {
  const status = vm.status;
  if (status?.phase === 'Running') return { ok: true };
  const scheduled = status?.conditions?.find((c) => c.type === 'Scheduled');
  if (scheduled?.status === 'False') return { ok: false, reason: `cannot be scheduled: ${scheduled.message || scheduled.reason}` };
  if (status?.phase === 'Failed') {
    const why = status.conditions?.find((c) => c.status === 'False')?.message;
    return { ok: false, reason: `failed${why ? `: ${why}` : ''}` };
  }
  return undefined;
}

function progress(vm: VirtualMachine): string {
  const s = vm.status;
  const where = s?.host ? ` on ${s.host}${s.numaNodes?.length ? ` (NUMA ${s.numaNodes.join(',')})` : ''}` : '';
  return `${s?.phase ?? 'Pending'}${where}`;
}

async function waitRunning(ctx: Context, def: KindDef, name: string, timeoutSeconds: number): Promise<VirtualMachine> {
  const id = qualifiedName(def, name);
  const client = ctx.client();
  let last = '';
  return pollUntil(ctx, `${id} to run`, timeoutSeconds * 1000, () => client.get<VirtualMachine>(def.plural, name), (vm) => {
    if (!vm) throw new UserError(`${id} was deleted while waiting for it`);
    const line = progress(vm);
    if (line !== last) ctx.log(`${id}: ${line}`);
    last = line;
    const outcome = vmOutcome(vm);
    if (!outcome) return undefined;
    if (!outcome.ok) throw new UserError(`${id} ${outcome.reason}`);
    return vm;
  });
}

const RESTART_PRIORITIES = ['highest', 'high', 'medium', 'low', 'lowest', 'disabled'] as const;

function parseRestartPriority(raw: unknown): (typeof RESTART_PRIORITIES)[number] {
  const p = RESTART_PRIORITIES.find((x) => x === raw);
  if (p === undefined) throw new UserError(`--restart-priority must be one of ${RESTART_PRIORITIES.join(', ')}, got "${String(raw)}"`);
  return p;
}

export const vmCreateCommand = defineCommand<VmCreateInput>({
  name: 'create',
  description: 'Create a VirtualMachine',
  args: [{ name: 'name', description: 'VM name (a DNS label)', required: true }],
  options: [
    { flags: '--tenant <tenant>', description: 'owning tenant', required: true },
    { flags: '--cpus <n>', description: 'vCPUs', required: true },
    { flags: '--memory-mib <mib>', description: 'memory in MiB', required: true },
    { flags: '--zone <zone>', description: 'restrict placement to this zone' },
    { flags: '--encrypted-memory', description: 'needs a host with encrypted memory (sev-es)' },
    { flags: '--image <image>', description: 'boot image' },
    { flags: '--restart-priority <priority>', description: 'HA restart order after a host failure (default medium)', choices: ['highest', 'high', 'medium', 'low', 'lowest', 'disabled'] },
    { flags: '--wait', description: 'wait until the VM runs (or cannot be placed)' },
    { flags: '--timeout <duration>', description: 'how long --wait waits', default: '5m' },
  ],
  examples: ['bulkhead vm create web-1 --tenant acme --cpus 2 --memory-mib 4096 --wait', 'bulkhead vm create db-1 --tenant acme --cpus 8 --memory-mib 32768 --zone zone-a --encrypted-memory'],
  parse: ({ args, opts }) => {
    const spec: VirtualMachineSpec = {
      tenant: requiredString(opts.tenant, '--tenant'),
      cpus: parsePositiveInt(opts.cpus, '--cpus'),
      memoryMiB: parsePositiveInt(opts.memoryMib, '--memory-mib'),
      ...(opts.zone !== undefined ? { zone: optionalString(opts.zone, '--zone') } : {}),
      ...(opts.encryptedMemory === true ? { encryptedMemory: true } : {}),
      ...(opts.image !== undefined ? { image: optionalString(opts.image, '--image') } : {}),
      ...(opts.restartPriority !== undefined ? { restartPriority: parseRestartPriority(opts.restartPriority) } : {}),
    };
    return { name: args[0] ?? '', spec, wait: opts.wait === true, timeoutSeconds: parseDurationSeconds(opts.timeout, '--timeout') };
  },
  run: async (ctx, input): Promise<Output> => {
    const def = await vmKind();
    const id = qualifiedName(def, input.name);
    const body: VirtualMachine = { apiVersion: def.apiVersion, kind: def.kind, metadata: { name: input.name }, spec: input.spec };
    let vm = await ctx.client().create<VirtualMachine>(def.plural, body);
    if (!input.wait) return { type: 'message', lines: [`${id} created`], data: vm, names: [id] };
    ctx.log(`${id} created; waiting for it to run...`);
    vm = await waitRunning(ctx, def, input.name, input.timeoutSeconds);
    return { type: 'message', lines: [`${id} running on ${vm.status?.host ?? '<unknown>'}`], data: vm, names: [id] };
  },
});

export const vmListCommand = defineCommand<GetInput>({
  name: 'list',
  description: 'List VirtualMachines (same as `get vms`)',
  aliases: ['ls'],
  options: LIST_OPTIONS,
  examples: ['bulkhead vm list', 'bulkhead vm list -o wide'],
  parse: async ({ opts }) => parseListInput(await vmKind(), undefined, opts),
  run: runGet,
});
