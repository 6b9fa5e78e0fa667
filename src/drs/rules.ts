/**
 * DRS rules, after vSphere's: VM-VM affinity (keep together) and anti-affinity (keep apart), and
 * VM-host rules against a host group (must / should run on, must / should not run on). "must"
 * rules are never broken by DRS or HA and their violations are corrected first; "should" rules
 * are never broken by load balancing and are corrected when that breaks nothing else.
 */

export const RULE_ENFORCEMENTS = ['must', 'should'] as const;
export type RuleEnforcement = (typeof RULE_ENFORCEMENTS)[number];

export const VM_HOST_MODES = ['mustRunOn', 'shouldRunOn', 'mustNotRunOn', 'shouldNotRunOn'] as const;
export type VmHostMode = (typeof VM_HOST_MODES)[number];

export const RULE_TYPES = ['vmAffinity', 'vmAntiAffinity', 'vmHost'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export function isVmHostMode(value: unknown): value is VmHostMode {
  return typeof value === 'string' && (VM_HOST_MODES as readonly string[]).includes(value);
}

export function isRuleType(value: unknown): value is RuleType {
  return typeof value === 'string' && (RULE_TYPES as readonly string[]).includes(value);
}

/** Keep the VMs on one host. `enforcement` defaults to `must` (vSphere's VM-VM rules are hard for DRS). */
export interface VmAffinityRule {
  readonly name: string;
  readonly type: 'vmAffinity';
  readonly vms: readonly string[];
  readonly enforcement?: RuleEnforcement;
}

/** Keep the VMs on different hosts. `enforcement` defaults to `must`. */
export interface VmAntiAffinityRule {
  readonly name: string;
  readonly type: 'vmAntiAffinity';
  readonly vms: readonly string[];
  readonly enforcement?: RuleEnforcement;
}

/** Run the VMs on (or not on) a group of hosts. */
export interface VmHostRule {
  readonly name: string;
  readonly type: 'vmHost';
  readonly vms: readonly string[];
  readonly hosts: readonly string[];
  readonly mode: VmHostMode;
}

export type DrsRule = VmAffinityRule | VmAntiAffinityRule | VmHostRule;

/** `must` or `should`, with the defaults applied. */
export function enforcementOf(rule: DrsRule): RuleEnforcement {
  if (rule.type === 'vmHost') return rule.mode === 'mustRunOn' || rule.mode === 'mustNotRunOn' ? 'must' : 'should';
  return rule.enforcement ?? 'must';
}

/** Whether a VM-host rule lists the hosts the VMs may use (`*RunOn`) or the ones they may not. */
export function isRunOn(mode: VmHostMode): boolean {
  return mode === 'mustRunOn' || mode === 'shouldRunOn';
}

/** One line describing a rule, for reasons and conflict messages. */
export function describeRule(rule: DrsRule): string {
  const vms = rule.vms.join(', ');
  switch (rule.type) {
    case 'vmAffinity':
      return `${enforcementOf(rule)} rule "${rule.name}" (keep ${vms} together)`;
    case 'vmAntiAffinity':
      return `${enforcementOf(rule)} rule "${rule.name}" (keep ${vms} apart)`;
    case 'vmHost':
      return `${enforcementOf(rule)} rule "${rule.name}" (${vms} ${isRunOn(rule.mode) ? 'on' : 'not on'} ${rule.hosts.join(', ')})`;
  }
}
