/**
 * First start: the built-in roles, a first administrator bound to platform-admin, and a token for
 * it written to `<data>/admin.token` (mode 0600). Later starts keep a token that still works.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { API_VERSION, AlreadyExistsError, type RoleBinding, type User } from '../api/index.js';
import type { Store } from '../store/index.js';
import { builtinRoleObjects } from './builtin-roles.js';
import type { TokenService } from './tokens.js';

export const ADMIN_USER = 'admin';

async function createIfAbsent(store: Store, obj: Parameters<Store['create']>[0]): Promise<boolean> {
  try {
    await store.create(obj);
    return true;
  } catch (err) {
    if (err instanceof AlreadyExistsError) return false;
    throw err;
  }
}

export interface BootstrapResult {
  readonly tokenFile?: string;
  readonly token?: string;
  /** True when a new token was minted on this start. */
  readonly minted: boolean;
}

/** Ensures built-in roles exist; with `tokenFile`, ensures an administrator and a working token in it. */
export async function bootstrapSecurity(store: Store, tokens: TokenService, tokenFile?: string): Promise<BootstrapResult> {
  for (const role of builtinRoleObjects()) {
    const existing = await store.tryGet('Role', '', role.metadata.name);
    if (!existing) await createIfAbsent(store, role);
    else if (JSON.stringify(existing.spec) !== JSON.stringify(role.spec)) await store.update({ ...existing, spec: role.spec });
  }
  const admin: User = { apiVersion: API_VERSION, kind: 'User', metadata: { name: ADMIN_USER }, spec: { displayName: 'First administrator' } };
  await createIfAbsent(store, admin);
  const binding: RoleBinding = {
    apiVersion: API_VERSION,
    kind: 'RoleBinding',
    metadata: { name: 'platform-admins' },
    spec: { role: 'platform-admin', subjects: [{ kind: 'User', name: ADMIN_USER }] },
  };
  await createIfAbsent(store, binding);
  if (!tokenFile) return { minted: false };
  const existing = await readFile(tokenFile, 'utf8').then((s) => s.trim(), () => undefined);
  if (existing) {
    try {
      await tokens.authenticate(existing);
      return { tokenFile, token: existing, minted: false };
    } catch {
      // revoked or from another data directory: mint a fresh one below
    }
  }
  const minted = await tokens.mint(ADMIN_USER, { description: 'first administrator (written to admin.token)' });
  await writeFile(tokenFile, `${minted.token}\n`, { mode: 0o600 });
  await chmod(tokenFile, 0o600);
  return { tokenFile, token: minted.token, minted: true };
}
