/** The OCI image registry: how this capability plugs into the platform. */
import type { PlatformExtension } from '../platform/extension.js';

export const registryExtension: PlatformExtension = {
  name: 'registry',
};
