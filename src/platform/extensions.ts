/** The capabilities plugged into the platform, in start order. */
import { clustersExtension } from '../controllers/clusters/extension.js';
import { registryExtension } from '../registry/extension.js';
import { networkExtension } from '../network/extension.js';
import { availabilityExtension } from '../availability/extension.js';
import { balanceExtension } from '../balance/extension.js';
import { workloadsExtension } from '../workloads/extension.js';
import type { PlatformExtension } from './extension.js';

export const EXTENSIONS: readonly PlatformExtension[] = [
  // Clusters first: workloads run on the clusters' nodes.
  clustersExtension,
  workloadsExtension,
  registryExtension,
  networkExtension,
  availabilityExtension,
  balanceExtension,
];
