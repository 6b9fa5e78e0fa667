import { describe, expect, it } from 'vitest';
import { COSIGN_SIGNATURE_TYPE, buildPayload, parsePayload, signatureTag } from './simple-signing.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('buildPayload', () => {
  it('writes the cosign simple-signing document byte for byte', () => {
    expect(buildPayload('127.0.0.1:8080/acme/app', DIGEST).toString('utf8')).toBe(
      `{"critical":{"identity":{"docker-reference":"127.0.0.1:8080/acme/app"},"image":{"docker-manifest-digest":"${DIGEST}"},"type":"cosign container image signature"},"optional":null}`,
    );
  });

  it('round-trips through parsePayload', () => {
    expect(parsePayload(buildPayload('reg.example/acme/app', DIGEST))).toEqual({ ok: true, payload: { type: COSIGN_SIGNATURE_TYPE, dockerReference: 'reg.example/acme/app', manifestDigest: DIGEST } });
  });
});

describe('parsePayload', () => {
  it('matches keys case-insensitively (the spec example writes Docker-manifest-digest)', () => {
    const spec = `{"Critical":{"Identity":{"Docker-Reference":"r/a"},"Image":{"Docker-manifest-digest":"${DIGEST}"},"Type":"${COSIGN_SIGNATURE_TYPE}"},"optional":{"creator":"x"}}`;
    expect(parsePayload(spec)).toEqual({ ok: true, payload: { type: COSIGN_SIGNATURE_TYPE, dockerReference: 'r/a', manifestDigest: DIGEST } });
  });

  it('prefers the exact key when both spellings are present', () => {
    const doc = { critical: { type: 't', image: { 'Docker-manifest-digest': 'sha256:other', 'docker-manifest-digest': DIGEST } } };
    const r = parsePayload(JSON.stringify(doc));
    expect(r.ok && r.payload.manifestDigest).toBe(DIGEST);
  });

  it.each([
    ['not JSON', 'nope{', /not JSON/],
    ['an array', '[]', /not a JSON object/],
    ['no critical', '{"optional":null}', /no "critical" object/],
    ['no type', `{"critical":{"image":{"docker-manifest-digest":"${DIGEST}"}}}`, /no critical\.type/],
    ['no image', '{"critical":{"type":"t"}}', /docker-manifest-digest/],
    ['an empty digest', '{"critical":{"type":"t","image":{"docker-manifest-digest":""}}}', /docker-manifest-digest/],
    ['a numeric digest', '{"critical":{"type":"t","image":{"docker-manifest-digest":5}}}', /docker-manifest-digest/],
  ])('refuses %s with a reason', (_name, text, reason) => {
    const r = parsePayload(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('tolerates a missing identity (cosign ignores docker-reference)', () => {
    expect(parsePayload(`{"critical":{"type":"t","image":{"docker-manifest-digest":"${DIGEST}"}}}`)).toEqual({ ok: true, payload: { type: 't', dockerReference: '', manifestDigest: DIGEST } });
  });
});

describe('signatureTag', () => {
  it('turns the digest into the cosign tag', () => {
    expect(signatureTag(DIGEST)).toBe(`sha256-${'ab'.repeat(32)}.sig`);
  });
});
