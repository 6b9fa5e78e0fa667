/**
 * RegistryMetadata bound to an open store transaction, so a maintenance step can check and change
 * metadata atomically ("delete this manifest only if it is still untagged") while reusing the
 * registry's own quota bookkeeping rather than a copy of it. Nested `transaction(fn)` calls run
 * inline in the outer one.
 */
import type { Store, StoreOps } from '../../store/index.js';
import { RegistryMetadata } from '../metadata.js';

function unavailable(what: string): never {
  throw new Error(`${what} is not available inside a maintenance transaction`);
}

/** A Store whose every call goes to `tx`; `transaction(fn)` is `fn(tx)`. */
export function inlineStore(tx: StoreOps): Store {
  return {
    create: (obj) => tx.create(obj),
    get: (kind, ns, name) => tx.get(kind, ns, name),
    tryGet: (kind, ns, name) => tx.tryGet(kind, ns, name),
    list: (kind, opts) => tx.list(kind, opts),
    update: (obj, opts) => tx.update(obj, opts),
    delete: (kind, ns, name, opts) => tx.delete(kind, ns, name, opts),
    transaction: (fn) => fn(tx),
    watch: () => unavailable('watch'),
    revision: () => unavailable('revision'),
    appendAudit: () => unavailable('appendAudit'),
    readAudit: () => unavailable('readAudit'),
    close: () => unavailable('close'),
  };
}

/** The registry's metadata operations, run inside `tx`. */
export function metadataIn(tx: StoreOps): RegistryMetadata {
  return new RegistryMetadata(inlineStore(tx));
}
