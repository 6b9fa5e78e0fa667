/**
 * Mandatory moves (vSphere priority 1), made before any balancing and regardless of threshold
 * and cost: evacuate hosts entering maintenance, then bring VMs back within must rules. A fix may
 * break a should rule but never another must rule. What cannot be fixed is reported as unresolved.
 */
import type { PassContext } from './pass-context.js';
import { summarizeRefusals } from './pass-context.js';
import { mandatoryCheck } from './rule-checks.js';
import { describeRule } from './rules.js';
import type { UnresolvedViolation } from './types.js';

const ROUNDS = 3;

export function fixMandatory(ctx: PassContext): void {
  evacuate(ctx);
  let failed: UnresolvedViolation[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const sweep = fixMustRules(ctx);
    failed = sweep.failed;
    if (!sweep.moved) break;
  }
  // Only what the last sweep could not fix is reported, and only if its rule still does not hold.
  const stillViolated = new Set(ctx.rules.violated().map((id) => ctx.rules.rules[id]?.rule.name));
  ctx.unresolved.push(...failed.filter((f) => stillViolated.has(f.rule)));
  for (const id of ctx.rules.violated()) {
    const r = ctx.rules.rules[id];
    if (r === undefined || !r.must) continue;
    if (ctx.unresolved.some((u) => u.rule === r.rule.name)) continue;
    ctx.unresolved.push({ vm: r.rule.vms.join(', '), rule: r.rule.name, reason: `${describeRule(r.rule)} still does not hold` });
  }
}

function evacuate(ctx: PassContext): void {
  ctx.hosts.forEach((host, h) => {
    if (host.mode !== 'maintenance') return;
    const vms = [...ctx.ledger.vmsAt(h)].sort((a, b) => a - b);
    for (const vm of vms) {
      if (ctx.ledger.hostIdx(vm) !== h) continue;
      const unit = ctx.unit(vm);
      const refusals = new Map<string, number>();
      const note = { kind: 'evacuate' as const, priority: 1, reason: `host ${host.name} is entering maintenance mode`, benefit: 0 };
      if (!ctx.relocate(unit, ctx.rankDestinations(unit), mandatoryCheck(), note, refusals)) {
        ctx.unresolved.push({ vm: ctx.vms[vm]?.name ?? '', reason: `cannot leave ${host.name}: ${summarizeRefusals(refusals)}` });
      }
    }
  });
}

/** One sweep over violated must rules: whether anything moved, and what could not be fixed. */
function fixMustRules(ctx: PassContext): { moved: boolean; failed: UnresolvedViolation[] } {
  let moved = false;
  const failed: UnresolvedViolation[] = [];
  for (const id of ctx.rules.violated()) {
    const r = ctx.rules.rules[id];
    if (r === undefined || !r.must) continue;
    const note = { kind: 'mustRule' as const, priority: 1, reason: `restores ${describeRule(r.rule)}`, benefit: 0 };
    const check = mandatoryCheck(id);
    const refusals = new Map<string, number>();
    const attempt = (members: readonly number[], candidates: readonly number[], vmName: string): void => {
      if (ctx.relocate(members, candidates, check, note, refusals)) moved = true;
      else failed.push({ vm: vmName, rule: r.rule.name, reason: `${describeRule(r.rule)} cannot be restored: ${summarizeRefusals(refusals)}` });
    };
    switch (r.rule.type) {
      case 'vmHost':
        for (const m of r.members) {
          const h = ctx.ledger.hostIdx(m);
          if (ctx.rules.allows(id, h)) continue;
          const unit = ctx.unit(m);
          attempt(unit, ctx.rankDestinations(unit).filter((d) => ctx.rules.allows(id, d)), ctx.vms[m]?.name ?? '');
        }
        break;
      case 'vmAffinity': {
        // All members share one must-affinity unit: bring the whole unit to one host.
        const unit = ctx.unit(r.members[0] as number);
        attempt(unit, ctx.rankDestinations(unit), r.rule.vms.join(', '));
        break;
      }
      case 'vmAntiAffinity': {
        const byHost = new Map<number, number[]>();
        for (const m of r.members) byHost.set(ctx.ledger.hostIdx(m), [...(byHost.get(ctx.ledger.hostIdx(m)) ?? []), m]);
        for (const [, members] of byHost) {
          for (const m of members.slice(1)) {
            if (ctx.rules.degree(id) === 0) break;
            const unit = ctx.unit(m);
            const taken = new Set(r.members.map((x) => ctx.ledger.hostIdx(x)));
            attempt(unit, ctx.rankDestinations(unit, taken), ctx.vms[m]?.name ?? '');
          }
        }
        break;
      }
    }
  }
  return { moved, failed };
}
