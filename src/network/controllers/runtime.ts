/**
 * One platform's network runtime (state, data path, informers), found by the routes through the
 * platform's store: an extension's controllers and routes are built at different moments from
 * different contexts, and the store is the one object both contexts share, per platform (tests
 * start several platforms in one process, so a module-level singleton would mix them).
 */
import type { Store } from '../../store/index.js';
import type { DataPath } from '../datapath/datapath.js';
import type { NetworkInformers } from './informers.js';
import type { NetworkState } from './network-state.js';

export interface NetworkRuntime {
  readonly state: NetworkState;
  readonly datapath: DataPath;
  readonly informers: NetworkInformers;
}

const runtimes = new WeakMap<Store, NetworkRuntime>();

export function registerRuntime(store: Store, runtime: NetworkRuntime): void {
  runtimes.set(store, runtime);
}

/** The runtime of the platform that owns `store`; undefined when the network's controllers are not running. */
export function runtimeOf(store: Store): NetworkRuntime | undefined {
  return runtimes.get(store);
}
