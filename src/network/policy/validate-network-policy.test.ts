/** Validation of NetworkPolicy specs: every problem named by its field path, as the apiserver does. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../api/index.js';
import { compile } from './engine.js';
import { np } from './fixtures.test-util.js';
import type { NetworkPolicySpec } from './network-policy-schema.js';
import { validateNetworkPolicy } from './validate-network-policy.js';

const errors = (spec: unknown): string[] => validateNetworkPolicy(spec).map((c) => `${c.field}: ${c.message}`);
const withIngressPorts = (ports: unknown[]): unknown => ({ podSelector: {}, ingress: [{ ports }] });
const withPeer = (peer: unknown): unknown => ({ podSelector: {}, ingress: [{ from: [peer] }] });

describe('validateNetworkPolicy', () => {
  it('accepts a full valid spec', () => {
    const spec: NetworkPolicySpec = {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: {} }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 8080, endPort: 8090 }, { port: 'http', protocol: 'TCP' }, { protocol: 'SCTP' }] }],
      egress: [{}],
    };
    expect(errors(spec)).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['endPort below port', withIngressPorts([{}, { port: 8080, endPort: 8000 }]), 'spec.ingress[0].ports[1].endPort: must be >= port (8080)'],
    ['port 0', withIngressPorts([{ port: 0 }]), 'spec.ingress[0].ports[0].port: must be between 1 and 65535, inclusive (got 0)'],
    ['port 65536', withIngressPorts([{ port: 65536 }]), 'spec.ingress[0].ports[0].port: must be between 1 and 65535, inclusive (got 65536)'],
    ['endPort out of range', withIngressPorts([{ port: 80, endPort: 70000 }]), 'spec.ingress[0].ports[0].endPort: must be between 1 and 65535, inclusive (got 70000)'],
    ['endPort with a named port', withIngressPorts([{ port: 'http', endPort: 90 }]), 'spec.ingress[0].ports[0].endPort: may not be specified with a named port ("http")'],
    ['endPort without port', withIngressPorts([{ endPort: 90 }]), 'spec.ingress[0].ports[0].endPort: may not be specified when port is not specified'],
    ['invalid port name', withIngressPorts([{ port: 'HTTP_8080' }]), 'spec.ingress[0].ports[0].port: "HTTP_8080" is not a valid port name: at most 15 lower-case alphanumerics or \'-\', with at least one letter, no \'--\', not starting or ending with \'-\''],
    ['invalid CIDR', withPeer({ ipBlock: { cidr: '10.0.0.0/33' } }), 'spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.0/33" is not a valid CIDR (e.g. 10.0.0.0/16)'],
    ['CIDR without prefix', withPeer({ ipBlock: { cidr: '10.0.0.1' } }), 'spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.1" is not a valid CIDR (e.g. 10.0.0.0/16)'],
    ['except outside cidr', withPeer({ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24', '11.0.0.0/24'] } }), 'spec.ingress[0].from[0].ipBlock.except[1]: "11.0.0.0/24" must be a strict subset of cidr 10.0.0.0/16'],
    ['except equal to cidr', withPeer({ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.0.0/16'] } }), 'spec.ingress[0].from[0].ipBlock.except[0]: "10.0.0.0/16" must be a strict subset of cidr 10.0.0.0/16'],
    ['except of another family', withPeer({ ipBlock: { cidr: '10.0.0.0/8', except: ['fd00::/64'] } }), 'spec.ingress[0].from[0].ipBlock.except[0]: "fd00::/64" must be a strict subset of cidr 10.0.0.0/8'],
    ['ipBlock with a selector', withPeer({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }), 'spec.ingress[0].from[0]: may not specify both ipBlock and another peer'],
    ['empty peer', withPeer({}), 'spec.ingress[0].from[0]: must specify a peer (podSelector, namespaceSelector or ipBlock)'],
    ['In without values', { podSelector: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] } }, 'spec.podSelector.matchExpressions[0].values: must be specified when operator is In'],
    ['NotIn without values', { podSelector: { matchExpressions: [{ key: 'a', operator: 'NotIn' }] } }, 'spec.podSelector.matchExpressions[0].values: must be specified when operator is NotIn'],
    ['Exists with values', { podSelector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] } }, 'spec.podSelector.matchExpressions[0].values: may not be specified when operator is Exists'],
    ['DoesNotExist with values', { podSelector: { matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: ['x'] }] } }, 'spec.podSelector.matchExpressions[0].values: may not be specified when operator is DoesNotExist'],
    ['bad label key', { podSelector: { matchLabels: { 'bad key': 'v' } } }, 'spec.podSelector.matchLabels: invalid label key "bad key": the name must be at most 63 characters of alphanumerics, \'-\', \'_\' or \'.\', starting and ending with an alphanumeric'],
    ['bad key prefix', withPeer({ namespaceSelector: { matchExpressions: [{ key: 'Example.com/x', operator: 'Exists' }] } }), 'spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].key: invalid label key "Example.com/x": the prefix must be a DNS subdomain of at most 253 characters'],
    ['bad label value', { podSelector: { matchLabels: { app: '-web' } } }, 'spec.podSelector.matchLabels: invalid label value "-web": must be at most 63 characters of alphanumerics, \'-\', \'_\' or \'.\', starting and ending with an alphanumeric (key "app")'],
    ['bad expression value', { podSelector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['ok', 'not ok'] }] } }, 'spec.podSelector.matchExpressions[0].values[1]: invalid label value "not ok": must be at most 63 characters of alphanumerics, \'-\', \'_\' or \'.\', starting and ending with an alphanumeric'],
    ['duplicate policyTypes', { podSelector: {}, policyTypes: ['Ingress', 'Ingress'] }, 'spec.policyTypes[1]: duplicate value "Ingress"'],
    ['unknown policyType', { podSelector: {}, policyTypes: ['Sideways'] }, 'spec.policyTypes[0]: unsupported value "Sideways"; must be one of "Ingress", "Egress"'],
    ['unknown protocol', withIngressPorts([{ protocol: 'ICMP' }]), 'spec.ingress[0].ports[0].protocol: unsupported value "ICMP"; must be one of "TCP", "UDP", "SCTP"'],
    ['missing podSelector', { ingress: [] }, 'spec.podSelector: required field is missing'],
    ['unknown field', { podSelector: {}, ingres: [] }, 'spec.ingres: unknown field'],
    ['egress peers', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: 'fd00::/129' } }] }] }, 'spec.egress[0].to[0].ipBlock.cidr: "fd00::/129" is not a valid CIDR (e.g. 10.0.0.0/16)'],
  ])('%s', (_name, spec, message) => {
    expect(errors(spec)).toContain(message);
  });

  it('reports every problem, not just the first', () => {
    const spec = { podSelector: {}, ingress: [{ ports: [{ port: 0 }, { port: 90, endPort: 80 }], from: [{}] }] };
    expect(errors(spec)).toHaveLength(3);
  });

  it('compile rejects an invalid policy with a ValidationError naming the policy and field', () => {
    const bad = np('x', 'bad', { podSelector: {}, ingress: [{ ports: [{ port: 8080, endPort: 8000 }] }] });
    let thrown: unknown;
    try {
      compile({ networkPolicies: [bad] });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).message).toBe('NetworkPolicy "x/bad" is invalid: spec.ingress[0].ports[0].endPort: must be >= port (8080)');
    expect((thrown as ValidationError).causes).toEqual([{ field: 'spec.ingress[0].ports[0].endPort', message: 'must be >= port (8080)' }]);
  });

  it('compile rejects duplicate policies', () => {
    const p = np('x', 'dup', { podSelector: {} });
    expect(() => compile({ networkPolicies: [p, p] })).toThrow('networkPolicies[1]: duplicate NetworkPolicy "c1/x/dup" (also networkPolicies[0])');
  });
});
