/**
 * Command groups of the simulation capability, listed by commands/index.ts: `sim run`, the
 * what-if tool. Nothing of the simulation is imported here: `sim run` loads it when it runs.
 */
import type { GroupSpec } from '../spec.js';
import { simRunCommand } from './sim/run.js';

export const SIMULATION_GROUPS: readonly GroupSpec[] = [
  { name: 'sim', description: 'What-if simulation: run a scenario on the virtual clock and report (containers on VMs vs bare metal)', commands: [simRunCommand] },
];
