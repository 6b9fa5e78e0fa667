/**
 * One DRS pass: validate the rules, make the mandatory moves (maintenance evacuation, must-rule
 * violations), fix should rules, then balance greedily; finally price every move with the link
 * share it will actually get. Pure and deterministic: same state and options, same result.
 *
 *   state ─▶ rules valid? ─▶ mandatory ─▶ should fixes ─▶ balance ─▶ price ─▶ DrsPassResult
 */
import { assertValidRules } from './rule-validation.js';
import { balance } from './balance.js';
import { fixMandatory } from './mandatory.js';
import { resolveOptions } from './options.js';
import { PassContext } from './pass-context.js';
import { fixShouldRules } from './soft-rules.js';
import type { DrsOptions, DrsPassResult, DrsState, Recommendation } from './types.js';

/**
 * Plans one pass over a zone. Throws `ValidationError` for malformed input and
 * `RuleConflictError` when must rules contradict each other; everything else is in the result.
 */
export function planDrsPass(state: DrsState, options: DrsOptions = {}): DrsPassResult {
  const opts = resolveOptions(options);
  assertValidRules(
    opts.rules,
    state.hosts.map((h) => h.name),
  );
  const ctx = new PassContext(state, opts);
  const before = ctx.model.figures();
  fixMandatory(ctx);
  fixShouldRules(ctx);
  const stopReason = balance(ctx);
  ctx.model.resum();
  return {
    threshold: opts.threshold,
    target: ctx.target,
    weights: ctx.weights,
    before,
    after: ctx.model.figures(),
    recommendations: price(ctx),
    unresolved: ctx.unresolved,
    stopReason,
    evaluated: ctx.evaluated,
  };
}

/**
 * Final costs: each migration shares the slower NIC with the pass's other migrations on its
 * busier end, up to that host's slots (what the simulator does when the moves are issued together).
 */
function price(ctx: PassContext): Recommendation[] {
  const perHost = new Int32Array(ctx.hosts.length);
  for (const m of ctx.moves) {
    perHost[m.from] = (perHost[m.from] as number) + 1;
    perHost[m.to] = (perHost[m.to] as number) + 1;
  }
  const slots = ctx.costs.slots;
  return ctx.moves.map((m) => {
    const share = Math.max(Math.min(perHost[m.from] as number, slots[m.from] as number), Math.min(perHost[m.to] as number, slots[m.to] as number));
    const link = ctx.costs.link(m.from, m.to, share);
    const load = ctx.loadOn(ctx.cpu[m.vm] as number, ctx.mem[m.vm] as number, m.from);
    return {
      vm: ctx.vms[m.vm]?.name as string,
      from: ctx.hosts[m.from]?.name as string,
      to: ctx.hosts[m.to]?.name as string,
      kind: m.kind,
      priority: m.priority,
      imbalanceBefore: m.before,
      imbalanceAfter: m.after,
      gain: m.before - m.after,
      benefit: m.benefit,
      costScore: ctx.costs.costScore(m.vm, load, link),
      cost: ctx.costs.cost(m.vm, link),
      ...(m.together.length > 0 ? { together: m.together.map((v) => ctx.vms[v]?.name as string) } : {}),
      reason: m.reason,
    };
  });
}
