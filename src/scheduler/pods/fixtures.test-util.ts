/** Test fixtures for the pod scheduler: node VMs and pods in the store's shapes. */
import type { Pod, Toleration, VirtualMachine } from '../../api/index.js';

export interface NodeOpts {
  cluster?: string;
  tenant?: string;
  role?: string;
  cpus?: number;
  memoryMiB?: number;
  phase?: string;
  host?: string;
  zone?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function nodeVm(name: string, o: NodeOpts = {}): VirtualMachine {
  return {
    apiVersion: 'bulkhead.dev/v1',
    kind: 'VirtualMachine',
    metadata: {
      name,
      labels: { 'bulkhead.dev/cluster': o.cluster ?? 'web', 'bulkhead.dev/role': o.role ?? 'worker', ...(o.labels ?? {}) },
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    spec: { tenant: o.tenant ?? 'acme', cpus: o.cpus ?? 4, memoryMiB: o.memoryMiB ?? 8192 },
    status: { phase: (o.phase ?? 'Running') as 'Running', host: o.host ?? `h-${name}`, zone: o.zone ?? 'z1' },
  };
}

export interface PodOpts {
  cluster?: string;
  ns?: string;
  cpu?: string;
  memory?: string;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  ownerUid?: string;
  phase?: string;
}

export function pod(name: string, o: PodOpts = {}): Pod {
  const requests = { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}) };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: `${o.cluster ?? 'web'}/${o.ns ?? 'default'}`,
      ...(o.ownerUid ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: o.ownerUid, controller: true }] } : {}),
    },
    spec: {
      containers: [{ name: 'app', image: 'nginx', resources: { requests } }],
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
    },
    ...(o.phase ? { status: { phase: o.phase as 'Running' } } : {}),
  };
}
