/**
 * What each kind of move may do to the rules, as checks over a move's rule deltas. Each returns
 * the refusal reason, or undefined when the move is acceptable.
 */
import type { RuleBook, RuleDelta } from './rule-book.js';
import { describeRule } from './rules.js';

export type RuleCheck = (deltas: readonly RuleDelta[], book: RuleBook) => string | undefined;

function breaks(book: RuleBook, d: RuleDelta): string {
  const r = book.rules[d.rule];
  return r === undefined ? 'would break a rule' : `would break ${describeRule(r.rule)}`;
}

/** Load balancing: no rule, must or should, may get further from holding. */
export const noRuleWorse: RuleCheck = (deltas, book) => {
  for (const d of deltas) if (d.after > d.before) return breaks(book, d);
  return undefined;
};

/**
 * A mandatory move (evacuation, or fixing must rule `fixing`): no must rule may get worse, the
 * rule being fixed must get better; should rules may give way.
 */
export function mandatoryCheck(fixing?: number): RuleCheck {
  return (deltas, book) => {
    for (const d of deltas) if (book.rules[d.rule]?.must === true && d.after > d.before) return breaks(book, d);
    if (fixing !== undefined && !deltas.some((d) => d.rule === fixing && d.after < d.before)) return 'does not fix the rule';
    return undefined;
  };
}

/** Fixing should rule `fixing`: it must get better and no other rule may get worse. */
export function shouldFixCheck(fixing: number): RuleCheck {
  return (deltas, book) => {
    for (const d of deltas) if (d.rule !== fixing && d.after > d.before) return breaks(book, d);
    if (!deltas.some((d) => d.rule === fixing && d.after < d.before)) return 'does not fix the rule';
    return undefined;
  };
}
