/** Namespaces, deployments, pods and services inside clusters: how this capability plugs into the platform. */
import type { PlatformExtension } from '../platform/extension.js';

export const workloadsExtension: PlatformExtension = {
  name: 'workloads',
};
