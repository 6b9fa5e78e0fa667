/** Command groups of the registry capability, listed by commands/index.ts. */
import type { GroupSpec } from '../spec.js';
import { imageReportCommand, imageScanCommand } from './image.js';
import { projectCreateCommand, projectListCommand, projectMemberCommand } from './project.js';
import { robotCreateCommand, robotListCommand } from './robot.js';

export const REGISTRY_GROUPS: readonly GroupSpec[] = [
  { name: 'project', description: 'Registry projects and their members', commands: [projectCreateCommand, projectListCommand, projectMemberCommand] },
  { name: 'image', description: 'Registry images: vulnerability scans', commands: [imageScanCommand, imageReportCommand] },
  { name: 'robot', description: 'Registry robot accounts', commands: [robotCreateCommand, robotListCommand] },
];
