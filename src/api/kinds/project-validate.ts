/**
 * Project checks the schema cannot express: trusted keys must be ECDSA P-256 public keys in PEM
 * (what cosign signs with), key names unique, and the retention rules must each name exactly one
 * quantity (registry/retention/validate.ts).
 */
import { createPublicKey } from 'node:crypto';
import type { FieldCause } from '../errors.js';
import type { ProjectSpec } from './project.js';

export function trustedKeyCauses(spec: Pick<ProjectSpec, 'trustedKeys'>): FieldCause[] {
  const causes: FieldCause[] = [];
  const seen = new Set<string>();
  for (const [i, k] of (spec.trustedKeys ?? []).entries()) {
    if (seen.has(k.name)) causes.push({ field: `spec.trustedKeys[${i}].name`, message: `duplicate key name "${k.name}"` });
    seen.add(k.name);
    try {
      const key = createPublicKey(k.publicKey);
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1')
        causes.push({ field: `spec.trustedKeys[${i}].publicKey`, message: `must be an ECDSA P-256 public key (got ${key.asymmetricKeyType ?? 'unknown'}${curve ? ` ${curve}` : ''})` });
    } catch {
      causes.push({ field: `spec.trustedKeys[${i}].publicKey`, message: 'is not a PEM public key (-----BEGIN PUBLIC KEY-----)' });
    }
  }
  return causes;
}
