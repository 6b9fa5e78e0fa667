/** The availability capability: how it plugs into the platform. (Being written.) */
import type { PlatformExtension } from '../platform/extension.js';

export const availabilityExtension: PlatformExtension = {
  name: 'availability',
};
