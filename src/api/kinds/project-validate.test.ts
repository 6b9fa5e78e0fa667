import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { trustedKeyCauses } from './project-validate.js';

const pem = (type: 'ec' | 'rsa', curve?: string) =>
  (type === 'ec' ? generateKeyPairSync('ec', { namedCurve: curve ?? 'prime256v1' }) : generateKeyPairSync('rsa', { modulusLength: 1024 })).publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('trustedKeyCauses', () => {
  it('accepts P-256 public keys', () => {
    expect(trustedKeyCauses({ trustedKeys: [{ name: 'ci', publicKey: pem('ec') }] })).toEqual([]);
  });
  it('names the field of a key that is not PEM, not EC P-256, or a duplicate name', () => {
    const causes = trustedKeyCauses({
      trustedKeys: [
        { name: 'a', publicKey: 'hello' },
        { name: 'b', publicKey: pem('ec', 'secp384r1') },
        { name: 'c', publicKey: pem('rsa') },
        { name: 'c', publicKey: pem('ec') },
      ],
    });
    expect(causes.map((c) => c.field)).toEqual(['spec.trustedKeys[0].publicKey', 'spec.trustedKeys[1].publicKey', 'spec.trustedKeys[2].publicKey', 'spec.trustedKeys[3].name']);
    expect(causes[1]?.message).toContain('secp384r1');
  });
});
