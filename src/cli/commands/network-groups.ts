/**
 * Commands of the network capability: the `netpol` group (listed by commands/index.ts) and the
 * top-level `traceflow` command.
 */
import type { Command, GroupSpec } from '../spec.js';
import { netpolBuiltinsCommand, netpolMatrixCommand } from './network/netpol.js';
import { traceflowCommand } from './network/traceflow.js';

export const NETWORK_GROUPS: readonly GroupSpec[] = [
  { name: 'netpol', description: 'Network policy: connectivity matrix, built-in tenant isolation', commands: [netpolMatrixCommand, netpolBuiltinsCommand] },
];

/** Top-level network commands (`bulkhead -c web traceflow ...`). */
export const NETWORK_COMMANDS: readonly Command[] = [traceflowCommand];
