/** The balance capability: how it plugs into the platform. (Being written.) */
import type { PlatformExtension } from '../platform/extension.js';

export const balanceExtension: PlatformExtension = {
  name: 'balance',
};
