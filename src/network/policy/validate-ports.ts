/**
 * Field-naming checks of one NetworkPolicyPort (shared with admin rules), as the apiserver applies
 * them: numeric ports in 1-65535, IANA service names for named ports, endPort only with a numeric
 * port and never below it.
 */
import type { FieldCause } from '../../api/index.js';
import type { NetworkPolicyPort } from './network-policy-schema.js';

const SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Why `name` is not a valid port name (IANA_SVC_NAME), or undefined. */
export function portNameProblem(name: string): string | undefined {
  if (name.length > 15 || !SVC_NAME.test(name) || name.includes('--') || !/[a-z]/.test(name))
    return `${JSON.stringify(name)} is not a valid port name: at most 15 lower-case alphanumerics or '-', with at least one letter, no '--', not starting or ending with '-'`;
  return undefined;
}

function rangeProblem(n: number): string | undefined {
  return n < 1 || n > 65535 ? `must be between 1 and 65535, inclusive (got ${n})` : undefined;
}

/** Problems of one port entry, paths under `path` (e.g. `spec.ingress[0].ports[1]`). */
export function portCauses(p: NetworkPolicyPort, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  if (typeof p.port === 'number') {
    const rp = rangeProblem(p.port);
    if (rp) causes.push({ field: `${path}.port`, message: rp });
  } else if (typeof p.port === 'string') {
    const np = portNameProblem(p.port);
    if (np) causes.push({ field: `${path}.port`, message: np });
  }
  if (p.endPort !== undefined) {
    const rp = rangeProblem(p.endPort);
    if (rp) causes.push({ field: `${path}.endPort`, message: rp });
    else if (p.port === undefined) causes.push({ field: `${path}.endPort`, message: 'may not be specified when port is not specified' });
    else if (typeof p.port === 'string') causes.push({ field: `${path}.endPort`, message: `may not be specified with a named port (${JSON.stringify(p.port)})` });
    else if (p.endPort < p.port) causes.push({ field: `${path}.endPort`, message: `must be >= port (${p.port})` });
  }
  return causes;
}
