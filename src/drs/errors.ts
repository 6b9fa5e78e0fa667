/** Typed errors of the DRS layer. */
import { ValidationError } from '../api/index.js';
import type { RuleConflict } from './rule-validation.js';

/**
 * Rules that cannot all hold (e.g. affinity and anti-affinity on the same pair): a 422 naming
 * every conflicting rule, so the user can see which one to drop.
 */
export class RuleConflictError extends ValidationError {
  constructor(readonly conflicts: readonly RuleConflict[]) {
    super(
      conflicts.map((c) => ({ field: `rules[${c.rules.map((r) => JSON.stringify(r)).join(', ')}]`, message: c.message })),
      { kind: 'DrsRules' },
    );
  }
}
