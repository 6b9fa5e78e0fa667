/**
 * Resolves the kind a user typed (plural, singular, short name or Kind) to its registry entry.
 * The registry (src/api, with its schema compiler) is loaded on first use, not at startup, so
 * commands that never name a kind (`version`) start without it.
 */
import type { KindDef } from '../api/index.js';
import { UserError } from './errors.js';

/** The api module, loaded once on demand. */
export function loadApi(): Promise<typeof import('../api/index.js')> {
  return import('../api/index.js');
}

/** The known kinds as a one-line list: `zones (zn), hosts (ho), ...`. */
export function knownKinds(kinds: readonly KindDef[]): string {
  return kinds.map((k) => (k.shortNames.length ? `${k.plural} (${k.shortNames.join(', ')})` : k.plural)).join(', ');
}

/** The KindDef for `name`, or a UserError naming every known kind. */
export async function resolveKind(name: string): Promise<KindDef> {
  const api = await loadApi();
  const def = api.findKind(name);
  if (!def) throw new UserError(`unknown kind "${name}"; known kinds: ${knownKinds(api.KINDS)}`);
  return def;
}

/** `kind/name` as `-o name` and apply print it. */
export function qualifiedName(def: KindDef, name: string): string {
  return `${def.singular}/${name}`;
}
