/** Kubernetes-style clusters on VMs (plans, lifecycle, health monitor, resurrector): how this capability plugs into the platform. */
import type { PlatformExtension } from '../../platform/extension.js';

export const clustersExtension: PlatformExtension = {
  name: 'clusters',
};
