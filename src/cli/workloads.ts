/**
 * Workload kinds inside a cluster for the CLI (`-c CLUSTER`): resolving a kind name to a platform
 * or workload kind, and the Kubernetes-compatible paths of `/clusters/{cluster}/...`.
 */
import type { KindDef } from '../api/index.js';
import { UserError } from './errors.js';
import { knownKinds, loadApi } from './kinds.js';

/** A kind the user typed: a platform kind, or a workload kind served inside clusters. */
export interface AnyKind {
  readonly def: KindDef;
  readonly workload: boolean;
}

export async function resolveAnyKind(name: string): Promise<AnyKind> {
  const api = await loadApi();
  const def = api.findKind(name);
  if (def) return { def, workload: false };
  const w = api.findWorkloadKind(name);
  if (w) return { def: w, workload: true };
  throw new UserError(`unknown kind "${name}"; known kinds: ${knownKinds([...api.KINDS, ...api.WORKLOAD_KINDS])}`);
}

/** The cluster from `-c`, or a one-line error saying workload kinds need it. */
export function requireCluster(cluster: string | undefined, def: KindDef): string {
  if (!cluster) throw new UserError(`${def.plural} live inside a cluster: add -c CLUSTER (e.g. bulkhead -c web get ${def.plural})`);
  return cluster;
}

/**
 * Path of a workload collection or object: namespaces at `/api/v1/namespaces[/name]`; namespaced
 * kinds under `/namespaces/{ns}/{plural}`, or `/{plural}` across all namespaces (ns undefined).
 */
export function workloadPath(cluster: string, def: KindDef, ns: string | undefined, name?: string): string {
  const group = def.apiVersion === 'v1' ? 'api/v1' : `apis/${def.apiVersion}`;
  const tail = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  const c = `/clusters/${encodeURIComponent(cluster)}/${group}`;
  if (def.kind === 'Namespace') return `${c}/namespaces${tail}`;
  if (ns === undefined) return `${c}/${def.plural}${tail}`;
  return `${c}/namespaces/${encodeURIComponent(ns)}/${def.plural}${tail}`;
}

/** `ns/name` or `name` with `-n ns` (default `default`). */
export function splitNamespacedName(arg: string, ns: string | undefined): { ns: string; name: string } {
  const i = arg.indexOf('/');
  if (i > 0) return { ns: arg.slice(0, i), name: arg.slice(i + 1) };
  return { ns: ns ?? 'default', name: arg };
}

/** The namespace flags every workload command takes. */
export const NAMESPACE_OPTIONS = [
  { flags: '-n, --namespace <namespace>', description: 'namespace inside the cluster (with -c; default "default")' },
  { flags: '-A, --all-namespaces', description: 'every namespace of the cluster (with -c)' },
] as const;

/** A kind's table with a NAMESPACE column first (for -A). */
export function withNamespaceColumn(def: KindDef): KindDef {
  return { ...def, columns: [{ header: 'NAMESPACE', path: 'metadata.namespace' }, ...def.columns] };
}
