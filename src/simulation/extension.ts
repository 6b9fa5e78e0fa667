/** The simulation capability: how it plugs into the platform. (Being written.) */
import type { PlatformExtension } from '../platform/extension.js';

export const simulationExtension: PlatformExtension = {
  name: 'simulation',
};
