/**
 * `bulkhead drs recommendations|apply|run`: DRS's proposed migrations with the imbalance before
 * and after each and its predicted cost (migration time, stun, memory sent), applying them (each
 * becomes a VmMigration), and "Run DRS now" for a zone.
 */
import type { DrsRecommendationObject } from '../../../api/kinds/balance-kinds.js';
import type { DrsPassSummary } from '../../../balance/drs/pass-summary.js';
import { UserError } from '../../errors.js';
import { optionalString, requiredString } from '../../flags.js';
import type { Output } from '../../output.js';
import { defineCommand } from '../../spec.js';
import { recommendationsText, zoneLine, type ZoneDrsView } from './drs-view.js';

interface ListInput {
  readonly zone?: string;
  readonly all: boolean;
}

export const drsRecommendationsCommand = defineCommand<ListInput>({
  name: 'recommendations',
  aliases: ['recs'],
  description: 'Show the pending DRS recommendations: imbalance before/after and the cost of each move',
  options: [
    { flags: '--zone <zone>', description: 'only this zone' },
    { flags: '--all', description: 'also applied and stale ones (history)' },
  ],
  examples: ['bulkhead drs recommendations', 'bulkhead drs recommendations --zone zone-a -o json'],
  parse: ({ opts }) => {
    const zone = optionalString(opts.zone, '--zone');
    return { ...(zone !== undefined ? { zone } : {}), all: opts.all === true };
  },
  run: async (ctx, input): Promise<Output> => {
    const client = ctx.client();
    const [zones, list] = await Promise.all([
      client.request<{ items: ZoneDrsView[] }>('GET', '/drs/v1/zones'),
      client.listAll<DrsRecommendationObject>('drsrecommendations'),
    ]);
    if (input.zone !== undefined && !zones.items.some((z) => z.zone === input.zone)) throw new UserError(`zone "${input.zone}" does not exist`);
    const inZone = <T extends { zone?: string }>(z: T) => input.zone === undefined || z.zone === input.zone;
    const shownZones = zones.items.filter(inZone);
    const recs = list.items
      .filter((r) => r.spec !== undefined && inZone(r.spec) && (input.all || (r.status?.phase ?? 'Pending') === 'Pending'))
      .sort((a, b) => (a.spec?.zone ?? '').localeCompare(b.spec?.zone ?? '') || (a.spec?.priority ?? 5) - (b.spec?.priority ?? 5) || (b.status?.gain ?? 0) - (a.status?.gain ?? 0));
    return {
      type: 'message',
      lines: recommendationsText(shownZones, recs),
      data: { zones: shownZones, items: recs },
      names: recs.map((r) => `drsrecommendation/${r.metadata.name}`),
    };
  },
});

interface ApplyInput {
  readonly names: readonly string[];
  readonly all: boolean;
  readonly zone?: string;
}

interface ApplyResult {
  readonly applied: readonly { name: string; vm?: string; from?: string; to?: string; migrations?: readonly string[] }[];
  readonly failed: readonly { name: string; message?: string }[];
}

export const drsApplyCommand = defineCommand<ApplyInput>({
  name: 'apply',
  description: 'Apply DRS recommendations by name, or all pending ones (each move becomes a VmMigration)',
  args: [{ name: 'names...', description: 'recommendation names (see bulkhead drs recommendations)' }],
  options: [
    { flags: '--all', description: 'every pending recommendation' },
    { flags: '--zone <zone>', description: 'with --all: only this zone' },
  ],
  examples: ['bulkhead drs apply drs-1a2b3c4d5e6f', 'bulkhead drs apply --all --zone zone-a'],
  parse: ({ args, opts }) => {
    const raw = args[0] as unknown;
    const names = Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : typeof raw === 'string' ? [raw] : [];
    const all = opts.all === true;
    const zone = optionalString(opts.zone, '--zone');
    if (all && names.length > 0) throw new UserError('give recommendation names or --all, not both');
    if (!all && names.length === 0) throw new UserError('give recommendation names or --all');
    if (zone !== undefined && !all) throw new UserError('--zone goes with --all');
    return { names, all, ...(zone !== undefined ? { zone } : {}) };
  },
  run: async (ctx, input): Promise<Output> => {
    const body = input.all ? { all: true, ...(input.zone !== undefined ? { zone: input.zone } : {}) } : { recommendations: input.names };
    const res = await ctx.client().request<ApplyResult>('POST', '/drs/v1/apply', { body });
    for (const f of res.failed) ctx.log(`error: ${f.message ?? f.name}`);
    const lines =
      res.applied.length === 0 && res.failed.length === 0
        ? ['no pending recommendations']
        : res.applied.map((a) => `drsrecommendation/${a.name} applied: ${a.vm ?? ''} ${a.from ?? ''} -> ${a.to ?? ''} (vmmigration/${(a.migrations ?? []).join(', vmmigration/')})`);
    return {
      type: 'message',
      lines,
      data: res,
      names: res.applied.flatMap((a) => (a.migrations ?? []).map((m) => `vmmigration/${m}`)),
      ...(res.failed.length > 0 ? { exitCode: 1 } : {}),
    };
  },
});

export const drsRunCommand = defineCommand<{ zone: string }>({
  name: 'run',
  description: 'Run a DRS pass of a zone now ("Run DRS now") and show what it found',
  options: [{ flags: '--zone <zone>', description: 'the zone', required: true }],
  examples: ['bulkhead drs run --zone zone-a'],
  parse: ({ opts }) => ({ zone: requiredString(opts.zone, '--zone') }),
  run: async (ctx, input): Promise<Output> => {
    const p = await ctx.client().request<DrsPassSummary>('POST', `/drs/v1/zones/${encodeURIComponent(input.zone)}/run`);
    return { type: 'message', lines: [zoneLine({ zone: p.zone, settings: p.settings, pending: p.recommendations, lastPass: p })], data: p };
  },
});
