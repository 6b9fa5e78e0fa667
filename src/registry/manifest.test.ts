import { describe, expect, it } from 'vitest';
import type { OciError } from './errors.js';
import { parseManifest } from './manifest.js';
import { DOCKER_LIST, OCI_INDEX, OCI_MANIFEST } from './media-types.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const desc = (c: string, mediaType = 'application/vnd.oci.image.layer.v1.tar+gzip', extra: Record<string, unknown> = {}) => ({ mediaType, digest: d(c), size: 1, ...extra });
const buf = (o: unknown) => Buffer.from(JSON.stringify(o));

describe('parseManifest', () => {
  it('lists config and distributable layers as required blobs, and records subject and artifactType', () => {
    const m = parseManifest(
      buf({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: desc('a', 'application/vnd.oci.image.config.v1+json'),
        layers: [desc('b'), desc('c', 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip'), desc('e', undefined, { urls: ['https://x'] })],
        subject: desc('f', OCI_MANIFEST),
        annotations: { k: 'v' },
        unknownField: true,
      }),
      OCI_MANIFEST,
    );
    expect(m).toEqual({ mediaType: OCI_MANIFEST, blobs: [d('a'), d('b')], manifests: [], subject: d('f'), annotations: { k: 'v' }, artifactType: 'application/vnd.oci.image.config.v1+json' });
  });

  it('reads indexes and Docker manifest lists as lists of manifests', () => {
    const m = parseManifest(buf({ schemaVersion: 2, mediaType: DOCKER_LIST, manifests: [desc('a', OCI_MANIFEST)] }), DOCKER_LIST);
    expect(m.manifests).toEqual([d('a')]);
    expect(parseManifest(buf({ schemaVersion: 2, manifests: [] }), undefined).mediaType).toBe(OCI_INDEX);
  });

  it.each([
    ['not JSON', Buffer.from('{'), OCI_MANIFEST],
    ['schema 1', buf({ schemaVersion: 1 }), OCI_MANIFEST],
    ['a bad digest', buf({ schemaVersion: 2, config: { mediaType: 'x', digest: 'sha256:zz', size: 1 }, layers: [] }), OCI_MANIFEST],
    ['a negative size', buf({ schemaVersion: 2, config: { ...desc('a'), size: -1 }, layers: [] }), OCI_MANIFEST],
    ['a type mismatch', buf({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }), OCI_MANIFEST],
    ['an unknown type', buf({ schemaVersion: 2, mediaType: 'text/plain', config: desc('a'), layers: [] }), 'text/plain'],
  ])('rejects %s with MANIFEST_INVALID', (_what, bytes, type) => {
    let code = 'ok';
    try {
      parseManifest(bytes, type);
    } catch (e) {
      code = (e as OciError).code;
    }
    expect(code).toBe('MANIFEST_INVALID');
  });
});
