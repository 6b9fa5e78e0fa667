/** Command groups of the registry capability, listed by commands/index.ts. */
import type { GroupSpec } from '../spec.js';
import { imageReportCommand, imageScanCommand } from './image.js';
import { IMAGE_SIGNING_COMMANDS } from './image-sign.js';
import { REGISTRY_MAINTENANCE_COMMANDS } from './registry-maintenance.js';
import { REPLICATION_COMMANDS } from './replication.js';
import { projectCreateCommand, projectListCommand, projectMemberCommand } from './project.js';
import { robotCreateCommand, robotListCommand } from './robot.js';

export const REGISTRY_GROUPS: readonly GroupSpec[] = [
  { name: 'project', description: 'Registry projects and their members', commands: [projectCreateCommand, projectListCommand, projectMemberCommand] },
  { name: 'image', description: 'Registry images: vulnerability scans and signatures', commands: [imageScanCommand, imageReportCommand, ...IMAGE_SIGNING_COMMANDS] },
  { name: 'registry', description: 'Registry maintenance: garbage collection, retention, upload expiry', commands: REGISTRY_MAINTENANCE_COMMANDS },
  { name: 'replication', description: 'Registry replication to and from other registries', commands: REPLICATION_COMMANDS },
  { name: 'robot', description: 'Registry robot accounts', commands: [robotCreateCommand, robotListCommand] },
];
