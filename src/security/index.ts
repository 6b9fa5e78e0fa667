/** Identity, access control and audit: tokens, passwords, RBAC, the audit trail, first-start bootstrap. */
export * from './principal.js';
export * from './passwords.js';
export * from './tokens.js';
export * from './authorizer.js';
export * from './builtin-roles.js';
export * from './auditor.js';
export * from './bootstrap.js';
export * from './isolation-audit.js';
