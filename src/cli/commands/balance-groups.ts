/**
 * Command groups of the balance capability, listed by commands/index.ts: `drs` (recommendations,
 * apply, run) and `top` (usage per host, VM, pod, container, zone, tenant and pool).
 */
import type { GroupSpec } from '../spec.js';
import { drsApplyCommand, drsRecommendationsCommand, drsRunCommand } from './balance/drs.js';
import { TOP_COMMANDS } from './balance/top.js';

export const BALANCE_GROUPS: readonly GroupSpec[] = [
  { name: 'drs', description: 'DRS: load-balancing recommendations, applying them, running a pass now', commands: [drsRecommendationsCommand, drsApplyCommand, drsRunCommand] },
  { name: 'top', description: 'Resource usage: demand, entitlement, use, CPU ready, per host, VM, pod, zone, tenant and pool', commands: TOP_COMMANDS },
];
