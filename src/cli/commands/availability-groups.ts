/** Command groups of the availability capability, listed by commands/index.ts (`vm migrate` and `host maintenance|isolate` join the vm and host groups there). */
import type { GroupSpec } from '../spec.js';
import { haDisableCommand, haEnableCommand, haStatusCommand } from './availability/ha.js';

export const AVAILABILITY_GROUPS: readonly GroupSpec[] = [{ name: 'ha', description: 'vSphere-style HA per zone: status, enable, disable', commands: [haStatusCommand, haEnableCommand, haDisableCommand] }];
