/**
 * What the Project schema cannot say about retention: each rule names exactly one quantity
 * (`latestPushed`, `pushedWithinDays` or `always: true`). A rule with none would keep nothing and
 * delete every artifact it matches, so admission should refuse it and runs refuse it again.
 */
import type { FieldCause, ProjectSpec, RetentionPolicy } from '../../api/index.js';

const QUANTITIES = ['latestPushed', 'pushedWithinDays', 'always'] as const;

/** Field-named problems of `spec.retention` (empty when fine or absent). */
export function validateRetention(spec: Pick<ProjectSpec, 'retention'> | undefined, path = 'spec.retention'): FieldCause[] {
  return retentionCauses(spec?.retention, path);
}

/** The same check on the policy alone. */
export function retentionCauses(policy: RetentionPolicy | undefined, path = 'spec.retention'): FieldCause[] {
  const causes: FieldCause[] = [];
  (policy?.rules ?? []).forEach((rule, i) => {
    const set = QUANTITIES.filter((q) => (q === 'always' ? rule.always === true : rule[q] !== undefined));
    const field = `${path}.rules[${i}]`;
    if (set.length === 0) causes.push({ field, message: 'must set exactly one of latestPushed, pushedWithinDays or always: true (none is set)' });
    if (set.length > 1) causes.push({ field, message: `must set exactly one of latestPushed, pushedWithinDays or always: true (${set.join(' and ')} are set)` });
  });
  return causes;
}
