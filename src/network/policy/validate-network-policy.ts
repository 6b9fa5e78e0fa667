/**
 * Validation of a NetworkPolicy spec with the apiserver's rules, every problem named by its field
 * path (`spec.ingress[0].ports[1].endPort: must be >= port (8080)`): the schema first, then ports,
 * peers (exactly one kind; ipBlock alone), CIDRs and `except` subsets, selectors, policyTypes.
 */
import { ValidationError, nameCauses, schemaCauses, type FieldCause } from '../../api/index.js';
import { isStrictSubnet, parseCidr } from './cidr.js';
import { labelSelectorCauses } from './label-selector.js';
import {
  NetworkPolicySpecSchema,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type NetworkPolicySpec,
} from './network-policy-schema.js';
import { portCauses } from './validate-ports.js';

function ipBlockCauses(block: NonNullable<NetworkPolicyPeer['ipBlock']>, path: string): FieldCause[] {
  const cidr = parseCidr(block.cidr);
  if (!cidr) return [{ field: `${path}.cidr`, message: `${JSON.stringify(block.cidr)} is not a valid CIDR (e.g. 10.0.0.0/16)` }];
  const causes: FieldCause[] = [];
  (block.except ?? []).forEach((e, i) => {
    const ex = parseCidr(e);
    if (!ex) causes.push({ field: `${path}.except[${i}]`, message: `${JSON.stringify(e)} is not a valid CIDR` });
    else if (!isStrictSubnet(cidr, ex)) causes.push({ field: `${path}.except[${i}]`, message: `${JSON.stringify(e)} must be a strict subset of cidr ${block.cidr}` });
  });
  return causes;
}

function peerCauses(peer: NetworkPolicyPeer, path: string): FieldCause[] {
  const selectors = (peer.podSelector ? 1 : 0) + (peer.namespaceSelector ? 1 : 0);
  if (peer.ipBlock && selectors > 0) return [{ field: path, message: 'may not specify both ipBlock and another peer' }];
  if (!peer.ipBlock && selectors === 0) return [{ field: path, message: 'must specify a peer (podSelector, namespaceSelector or ipBlock)' }];
  if (peer.ipBlock) return ipBlockCauses(peer.ipBlock, `${path}.ipBlock`);
  return [
    ...(peer.podSelector ? labelSelectorCauses(peer.podSelector, `${path}.podSelector`) : []),
    ...(peer.namespaceSelector ? labelSelectorCauses(peer.namespaceSelector, `${path}.namespaceSelector`) : []),
  ];
}

function ruleCauses(peers: readonly NetworkPolicyPeer[] | undefined, ports: readonly NetworkPolicyPort[] | undefined, path: string, peerField: string): FieldCause[] {
  return [
    ...(ports ?? []).flatMap((p, i) => portCauses(p, `${path}.ports[${i}]`)),
    ...(peers ?? []).flatMap((p, i) => peerCauses(p, `${path}.${peerField}[${i}]`)),
  ];
}

function semanticCauses(spec: NetworkPolicySpec): FieldCause[] {
  const causes = labelSelectorCauses(spec.podSelector, 'spec.podSelector');
  const seen = new Set<string>();
  (spec.policyTypes ?? []).forEach((t, i) => {
    if (seen.has(t)) causes.push({ field: `spec.policyTypes[${i}]`, message: `duplicate value ${JSON.stringify(t)}` });
    seen.add(t);
  });
  (spec.ingress ?? []).forEach((r, i) => causes.push(...ruleCauses(r.from, r.ports, `spec.ingress[${i}]`, 'from')));
  (spec.egress ?? []).forEach((r, i) => causes.push(...ruleCauses(r.to, r.ports, `spec.egress[${i}]`, 'to')));
  return causes;
}

/** Every problem of a NetworkPolicy spec (empty when valid); fields are paths under `spec`. */
export function validateNetworkPolicy(spec: unknown): FieldCause[] {
  const shape = schemaCauses(NetworkPolicySpecSchema, spec, 'spec');
  if (shape.length > 0) return shape;
  return semanticCauses(spec as NetworkPolicySpec);
}

/** Checks a whole NetworkPolicy (names and spec); throws a ValidationError naming every bad field. */
export function assertNetworkPolicy(np: NetworkPolicy): void {
  const causes = [
    ...nameCauses(np.name),
    ...nameCauses(np.namespace, 'metadata.namespace'),
    ...(np.cluster === '' ? [{ field: 'cluster', message: 'required field is missing' }] : []),
    ...validateNetworkPolicy(np.spec),
  ];
  if (causes.length > 0) throw new ValidationError(causes, { kind: 'NetworkPolicy', name: `${np.namespace}/${np.name}` });
}
