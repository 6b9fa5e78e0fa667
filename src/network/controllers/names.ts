/**
 * How the network names and keys what it manages: workload objects' store namespaces
 * (`<cluster>/<ns>`; a Namespace's own is `<cluster>`), pod keys (`cluster/ns/name`, the engine's),
 * and the names of Segment objects (a readable prefix plus a short hash of the identity, so that
 * `web`/`a-b` and `web-a`/`b` never collide and every name is a DNS label).
 */
import { createHash } from 'node:crypto';
import { DNS_LABEL_MAX } from '../../api/index.js';

/** `<cluster>/<ns>` → its parts; a Namespace's own store namespace `<cluster>` has namespace ''. */
export function splitStoreNs(storeNs: string | undefined): { cluster: string; namespace: string } {
  const s = storeNs ?? '';
  const i = s.indexOf('/');
  return i < 0 ? { cluster: s, namespace: '' } : { cluster: s.slice(0, i), namespace: s.slice(i + 1) };
}

export function storeNs(cluster: string, namespace: string): string {
  return `${cluster}/${namespace}`;
}

/** The engine's pod key. */
export function podKeyOf(cluster: string, namespace: string, name: string): string {
  return `${cluster}/${namespace}/${name}`;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 6);
}

function named(prefix: string, identity: string): string {
  const room = DNS_LABEL_MAX - 7;
  const head = `${prefix}-${identity.replaceAll('/', '-')}`.slice(0, room).replace(/-+$/, '');
  return `${head}-${shortHash(`${prefix}|${identity}`)}`;
}

export const segmentNames = {
  tenantBlock: (tenant: string): string => named('block', tenant),
  nodeSegment: (cluster: string): string => named('nodes', cluster),
  podSubnet: (cluster: string, namespace: string): string => named('pods', `${cluster}/${namespace}`),
};
