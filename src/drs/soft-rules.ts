/**
 * Should-rule fixes (priority 2): after mandatory moves and before balancing, move VMs back
 * within should rules when that breaks no other rule and the migration budget allows. A fix that
 * cannot be made is left alone: should rules give way.
 */
import type { PassContext } from './pass-context.js';
import { shouldFixCheck } from './rule-checks.js';
import { describeRule } from './rules.js';

/** Priority of should-rule fixes: applied from migration threshold 2 up. */
export const SHOULD_FIX_PRIORITY = 2;

export function fixShouldRules(ctx: PassContext): void {
  if (ctx.opts.threshold < SHOULD_FIX_PRIORITY) return;
  for (const id of ctx.rules.violated()) {
    const r = ctx.rules.rules[id];
    if (r === undefined || r.must) continue;
    const note = { kind: 'shouldRule' as const, priority: SHOULD_FIX_PRIORITY, reason: `restores ${describeRule(r.rule)}`, benefit: 0 };
    const check = shouldFixCheck(id);
    const movers = (m: number): readonly number[] | undefined => {
      const unit = ctx.unit(m);
      return unit.every((v) => ctx.movable[v] === 1) && ctx.underMoveLimit(unit.length) ? unit : undefined;
    };
    const affordable = (unit: readonly number[]) => (h: number) =>
      unit.every((v) => {
        const from = ctx.ledger.hostIdx(v);
        const ms = ctx.costs.plan(v, ctx.costs.conservativeLink(from, h)).totalMs;
        return from === h || ((ctx.budget[from] as number) >= ms && (ctx.budget[h] as number) >= ms);
      });
    const tryFix = (m: number, exclude?: ReadonlySet<number>, allowed?: (h: number) => boolean): void => {
      const unit = movers(m);
      if (unit === undefined) return;
      const candidates = ctx.rankDestinations(unit, exclude).filter((h) => (allowed === undefined || allowed(h)) && affordable(unit)(h));
      ctx.relocate(unit, candidates, check, note, new Map());
    };
    switch (r.rule.type) {
      case 'vmHost':
        for (const m of r.members) if (!ctx.rules.allows(id, ctx.ledger.hostIdx(m))) tryFix(m, undefined, (h) => ctx.rules.allows(id, h));
        break;
      case 'vmAffinity': {
        // Join the host holding most members: move each member elsewhere there.
        const counts = new Map<number, number>();
        for (const m of r.members) counts.set(ctx.ledger.hostIdx(m), (counts.get(ctx.ledger.hostIdx(m)) ?? 0) + 1);
        const home = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
        if (home === undefined || ctx.accepts[home] !== 1) break;
        for (const m of r.members) if (ctx.ledger.hostIdx(m) !== home) tryFix(m, undefined, (h) => h === home);
        break;
      }
      case 'vmAntiAffinity': {
        const seen = new Set<number>();
        for (const m of r.members) {
          const h = ctx.ledger.hostIdx(m);
          if (!seen.has(h)) {
            seen.add(h);
            continue;
          }
          tryFix(m, new Set(r.members.map((x) => ctx.ledger.hostIdx(x))));
        }
        break;
      }
    }
  }
}
