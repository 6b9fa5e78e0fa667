/** One line per firewall side, from the engine's RuleRef: which tier, policy and rule decided it. */
import type { RuleRef } from '../types.js';

const VERB: Readonly<Record<RuleRef['action'], string>> = {
  Allow: 'allowed',
  Drop: 'dropped',
  Reject: 'rejected',
  Pass: 'passed on',
  Isolate: 'dropped',
  DefaultAllow: 'allowed',
};

/** E.g. `egress from shop/web: dropped by admin policy tenant-isolation-acme (platform tier) rule other-tenants-egress`. */
export function describeRule(side: string, ref: RuleRef): string {
  if (ref.tier === 'default') return `${side}: ${ref.rule === 'loopback' ? 'loopback, which no policy governs' : 'no policy isolates it (default allow)'}`;
  if (ref.tier === 'application') {
    if (ref.action === 'Isolate') return `${side}: isolated by NetworkPolicy ${ref.policy ?? '?'} and no rule of its policies allows it`;
    return `${side}: ${VERB[ref.action]} by NetworkPolicy ${ref.policy ?? '?'} rule ${ref.rule ?? '?'}`;
  }
  return `${side}: ${VERB[ref.action]} by admin policy ${ref.policy ?? '?'} (${ref.tier} tier) rule ${ref.rule ?? '?'}`;
}
