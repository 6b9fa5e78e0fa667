/** The HTTP API server: REST + watch, authn -> RBAC -> admission -> audit. */
export { buildServer } from './app.js';
export type { ServerContext, ServerOptions } from './context.js';
export { statusBody, toStatus, type StatusBody } from './status.js';
export { API_PREFIX } from './routes/resources.js';
export { VM_FINALIZER } from './admission.js';
