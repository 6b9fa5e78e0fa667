/**
 * Kinds served inside a cluster under Kubernetes-compatible paths (`/clusters/{cluster}/api/v1`,
 * `/clusters/{cluster}/apis/apps/v1`, `/clusters/{cluster}/apis/networking.k8s.io/v1`). Kept apart from the platform registry: their routes,
 * apiVersions and namespacing are Kubernetes'. In the store a workload object's namespace is
 * `<cluster>/<namespace>` (a Namespace's own is `<cluster>`); the API shows Kubernetes' form.
 */
import type { Column, KindDef } from '../registry.js';
import { DeploymentSpecSchema, ReplicaSetSpecSchema } from './workloads/apps.js';
import { EndpointsSpecSchema, NamespaceSpecSchema, ServiceSpecSchema } from './workloads/core.js';
import { NetworkPolicyOutlineSchema } from './workloads/network-policy.js';
import { PodSpecSchema } from './workloads/pod.js';

export * from './workloads/quantity.js';
export * from './workloads/pod.js';
export * from './workloads/apps.js';
export * from './workloads/core.js';
export * from './workloads/network-policy.js';

const NAME: Column = { header: 'NAME', path: 'metadata.name' };
const AGE: Column = { header: 'AGE', path: 'metadata.creationTimestamp' };
const none = (): undefined => undefined;

function kind(k: string, apiVersion: string, plural: string, shortNames: string[], specSchema: KindDef['specSchema'], columns: Column[]): KindDef {
  // tenantOf is undefined: a workload's tenant is its cluster's, resolved by the workload routes.
  return { kind: k, apiVersion, plural, singular: k.toLowerCase(), shortNames, scope: 'tenant', specSchema, specRequired: k !== 'Namespace', tenantOf: none, columns, userCreatable: true };
}

export const WORKLOAD_KINDS: readonly KindDef[] = [
  kind('Namespace', 'v1', 'namespaces', ['ns'], NamespaceSpecSchema, [NAME, { header: 'STATUS', path: 'status.phase' }, { header: 'SUBNET', path: 'status.subnet' }, AGE]),
  kind('Pod', 'v1', 'pods', ['po'], PodSpecSchema, [
    NAME,
    { header: 'READY', path: 'status.ready' },
    { header: 'STATUS', path: 'status.phase' },
    { header: 'NODE', path: 'spec.nodeName', wide: true },
    { header: 'HOST', path: 'status.host', wide: true },
    { header: 'IP', path: 'status.podIP', wide: true },
    { header: 'QOS', path: 'status.qosClass', wide: true },
    AGE,
  ]),
  kind('Service', 'v1', 'services', ['svc'], ServiceSpecSchema, [
    NAME,
    { header: 'TYPE', path: 'spec.type' },
    { header: 'CLUSTER-IP', path: 'spec.clusterIP' },
    { header: 'EXTERNAL-IP', path: 'status.loadBalancer.ingress.0.ip' },
    { header: 'ENDPOINTS', path: 'status.readyEndpoints' },
    { header: 'SELECTOR', path: 'spec.selector', wide: true },
    AGE,
  ]),
  kind('Endpoints', 'v1', 'endpoints', ['ep'], EndpointsSpecSchema, [NAME, AGE]),
  kind('NetworkPolicy', 'networking.k8s.io/v1', 'networkpolicies', ['netpol'], NetworkPolicyOutlineSchema, [
    NAME,
    { header: 'POD-SELECTOR', path: 'spec.podSelector' },
    { header: 'POLICY-TYPES', path: 'spec.policyTypes', wide: true },
    AGE,
  ]),
  kind('Deployment', 'apps/v1', 'deployments', ['deploy'], DeploymentSpecSchema, [
    NAME,
    { header: 'DESIRED', path: 'spec.replicas' },
    { header: 'READY', path: 'status.readyReplicas' },
    { header: 'UP-TO-DATE', path: 'status.updatedReplicas' },
    { header: 'AVAILABLE', path: 'status.availableReplicas' },
    AGE,
  ]),
  kind('ReplicaSet', 'apps/v1', 'replicasets', ['rs'], ReplicaSetSpecSchema, [
    NAME,
    { header: 'DESIRED', path: 'spec.replicas' },
    { header: 'CURRENT', path: 'status.replicas' },
    { header: 'READY', path: 'status.readyReplicas' },
    AGE,
  ]),
];

/** A workload kind by Kind, plural, singular or short name, case-insensitively. */
export function findWorkloadKind(name: string): KindDef | undefined {
  const n = name.toLowerCase();
  return WORKLOAD_KINDS.find((k) => k.kind.toLowerCase() === n || k.plural === n || k.singular === n || k.shortNames.includes(n));
}
