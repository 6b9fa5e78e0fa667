/** Injected time and seeded randomness. */
export * from './clock.js';
export * from './random.js';
