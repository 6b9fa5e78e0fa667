/** The assembled platform: `startPlatform` is what `bulkhead server` and the end-to-end tests run. */
export { startPlatform, DEFAULT_PORT, DEFAULT_BODY_LIMIT, type Platform, type PlatformOptions } from './platform.js';
export { VERSION } from './version.js';
