/**
 * `bulkhead audit isolation|log`: the isolation check (exit 1 when any host mixes what its zone
 * forbids) and the hash-chained audit log, which `--verify` re-checks locally end to end.
 */
import type { AuditEntry } from '../../store/store.js';
import { verifyChain } from '../../store/audit-chain.js';
import type { ApiClient } from '../client.js';
import { optionalPositiveInt } from '../flags.js';
import { formatValue } from '../format.js';
import type { Output } from '../output.js';
import { defineCommand } from '../spec.js';

/** One host that breaks its zone's isolation rule, as the server reports it. */
export interface IsolationViolation {
  readonly host: string;
  readonly zone: string;
  readonly isolation: string;
  readonly reason: string;
  readonly vms: readonly { readonly name: string; readonly tenant: string; readonly sensitivity?: string }[];
}

export interface IsolationReport {
  readonly violations: readonly IsolationViolation[];
  readonly checkedHosts: number;
  readonly checkedVms: number;
  readonly checkedPods?: number;
}

/** Renders an isolation report; exit 1 when there is any violation. */
export function isolationOutput(report: IsolationReport): Output {
  const violations = report.violations ?? [];
  if (violations.length === 0) {
    return {
      type: 'message',
      lines: [`no isolation violations (${report.checkedHosts} hosts, ${report.checkedVms} VMs${report.checkedPods === undefined ? '' : `, ${report.checkedPods} pods`} checked)`],
      data: report,
      names: [],
    };
  }
  const rows = violations.map((v) => [
    v.host,
    v.zone,
    v.isolation,
    v.reason,
    v.vms.map((vm) => `${vm.name}(${vm.tenant}${vm.sensitivity ? `/${vm.sensitivity}` : ''})`).join(','),
  ]);
  return { type: 'table', headers: ['HOST', 'ZONE', 'ISOLATION', 'REASON', 'VMS'], rows, data: report, exitCode: 1 };
}

export const auditIsolationCommand = defineCommand<Record<string, never>>({
  name: 'isolation',
  description: 'Check that no host mixes tenants or sensitivity levels its zone forbids (exit 1 if any)',
  examples: ['bulkhead audit isolation', 'bulkhead audit isolation -o json'],
  parse: () => ({}),
  run: async (ctx) => {
    const report = await ctx.client().request<IsolationReport>('GET', '/audit/isolation');
    const out = isolationOutput(report);
    if (out.exitCode) ctx.log(`${report.violations.length} isolation violation(s) in ${report.checkedHosts} hosts`);
    return out;
  },
});

const PAGE = 1000;

/** Reads audit entries after `after`, at most `limit` (all when undefined), page by page. */
export async function readAuditLog(client: ApiClient, after: number, limit?: number, onPage?: (page: AuditEntry[]) => void): Promise<AuditEntry[]> {
  const all: AuditEntry[] = [];
  let cursor = after;
  for (;;) {
    const want = limit === undefined ? PAGE : Math.min(PAGE, limit - all.length);
    if (want <= 0) break;
    const { items = [] } = await client.request<{ items?: AuditEntry[] }>('GET', '/audit/log', { query: { after: cursor, limit: want } });
    onPage?.(items);
    all.push(...items);
    const last = items[items.length - 1];
    if (items.length < want || !last) break;
    cursor = last.seq;
  }
  return all;
}

interface AuditLogInput {
  readonly after: number;
  readonly limit?: number;
  readonly verify: boolean;
}

/** The audit log as a table. */
export function auditTable(entries: readonly AuditEntry[]): Output {
  const rows = entries.map((e) => [String(e.seq), e.time, e.user, e.verb, e.resource, formatValue(e.namespace ? `${e.namespace}/${e.name ?? ''}` : e.name), e.decision, String(e.code)]);
  return { type: 'table', headers: ['SEQ', 'TIME', 'USER', 'VERB', 'RESOURCE', 'NAME', 'DECISION', 'CODE'], rows, data: { items: entries }, emptyNote: 'No audit entries.' };
}

export const auditLogCommand = defineCommand<AuditLogInput>({
  name: 'log',
  description: 'Show the audit log; --verify re-checks its whole hash chain locally',
  options: [
    { flags: '--after <seq>', description: 'only entries after this sequence number', default: '0' },
    { flags: '--limit <n>', description: 'at most n entries' },
    { flags: '--verify', description: 'fetch the whole chain and verify every hash (exit 1 if broken)' },
  ],
  examples: ['bulkhead audit log --limit 50', 'bulkhead audit log --after 1200', 'bulkhead audit log --verify'],
  parse: ({ opts }) => ({
    after: optionalPositiveInt(opts.after, '--after', { allowZero: true }) ?? 0,
    limit: optionalPositiveInt(opts.limit, '--limit'),
    verify: opts.verify === true,
  }),
  run: async (ctx, input) => {
    const client = ctx.client();
    if (!input.verify) return auditTable(await readAuditLog(client, input.after, input.limit));
    // The chain is checked from seq 1 whatever --after/--limit say: a gap anywhere must show.
    const entries = await readAuditLog(client, 0);
    const verdict = verifyChain(entries);
    if (verdict.ok) return { type: 'message', lines: [`audit chain intact: ${verdict.checked} entries`], data: verdict };
    return { type: 'message', lines: [`audit chain BROKEN at seq ${verdict.firstBadSeq ?? '?'}: ${verdict.problem ?? 'unknown problem'}`], data: verdict, exitCode: 1 };
  },
});
