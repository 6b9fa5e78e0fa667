/** Every command of `bulkhead`, top-level commands and groups, in the order help lists them. */
import type { Command, GroupSpec } from '../spec.js';
import { applyCommand } from './apply.js';
import { auditIsolationCommand, auditLogCommand } from './audit.js';
import { deleteCommand } from './delete.js';
import { describeCommand } from './describe.js';
import { getCommand } from './get.js';
import { hostFailCommand, hostListCommand, hostRecoverCommand } from './host.js';
import { loginCommand } from './login.js';
import { serverCommand } from './server.js';
import { tokenCreateCommand } from './token.js';
import { userCreateCommand, userListCommand } from './user.js';
import { versionCommand } from './version.js';
import { vmCreateCommand, vmListCommand } from './vm.js';
import { whoamiCommand } from './whoami.js';
import { CLUSTER_GROUPS } from './cluster-groups.js';
import { REGISTRY_GROUPS } from './registry-groups.js';
import { NETWORK_COMMANDS, NETWORK_GROUPS } from './network-groups.js';
import { AVAILABILITY_GROUPS } from './availability-groups.js';
import { vmMigrateCommand } from './availability/vm-migrate.js';
import { hostIsolateCommand, hostMaintenanceCommand } from './availability/host-maintenance.js';
import { BALANCE_GROUPS } from './balance-groups.js';
import { SIMULATION_GROUPS } from './simulation-groups.js';

export const TOP_LEVEL: readonly Command[] = [getCommand, describeCommand, applyCommand, deleteCommand, loginCommand, whoamiCommand, versionCommand, serverCommand, ...NETWORK_COMMANDS];

export const GROUPS: readonly GroupSpec[] = [
  { name: 'vm', description: 'Virtual machines', commands: [vmCreateCommand, vmListCommand, vmMigrateCommand] },
  { name: 'host', description: 'Hosts, maintenance mode and fault injection', commands: [hostListCommand, hostMaintenanceCommand, hostFailCommand, hostIsolateCommand, hostRecoverCommand] },
  { name: 'audit', description: 'Isolation check and the hash-chained audit log', commands: [auditIsolationCommand, auditLogCommand] },
  { name: 'user', description: 'Local users', commands: [userCreateCommand, userListCommand] },
  { name: 'token', description: 'Bearer tokens', commands: [tokenCreateCommand] },
  ...CLUSTER_GROUPS,
  ...REGISTRY_GROUPS,
  ...NETWORK_GROUPS,
  ...AVAILABILITY_GROUPS,
  ...BALANCE_GROUPS,
  ...SIMULATION_GROUPS,
];
