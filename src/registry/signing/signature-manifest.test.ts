import { describe, expect, it } from 'vitest';
import { OCI_CONFIG_MEDIA_TYPE, OCI_MANIFEST_MEDIA_TYPE, signatureConfig, signatureLayer, signatureLayersOf, signatureManifest } from './signature-manifest.js';
import { SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE } from './simple-signing.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;

describe('signature manifests', () => {
  const layers = [signatureLayer(D('a'), 200, 'c2ln'), signatureLayer(D('b'), 210, 'c2lnMg==')];
  const config = signatureConfig(layers);
  const subject = { mediaType: OCI_MANIFEST_MEDIA_TYPE, digest: D('f'), size: 512 };
  const bytes = signatureManifest({ mediaType: OCI_CONFIG_MEDIA_TYPE, digest: D('c'), size: config.length }, layers, subject);

  it('is an OCI image manifest with one simple-signing layer per signature and the subject', () => {
    const doc = JSON.parse(bytes.toString()) as Record<string, unknown>;
    expect(doc).toEqual({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST_MEDIA_TYPE,
      config: { mediaType: OCI_CONFIG_MEDIA_TYPE, size: config.length, digest: D('c') },
      layers: [
        { mediaType: SIMPLE_SIGNING_MEDIA_TYPE, digest: D('a'), size: 200, annotations: { [SIGNATURE_ANNOTATION]: 'c2ln' } },
        { mediaType: SIMPLE_SIGNING_MEDIA_TYPE, digest: D('b'), size: 210, annotations: { [SIGNATURE_ANNOTATION]: 'c2lnMg==' } },
      ],
      subject,
    });
  });

  it("lists the payloads as the config's diff_ids, as cosign does", () => {
    expect((JSON.parse(config.toString()) as { rootfs: unknown }).rootfs).toEqual({ type: 'layers', diff_ids: [D('a'), D('b')] });
  });

  it('reads back the signature layers, with their signatures', () => {
    expect(signatureLayersOf(bytes)).toEqual([
      { descriptor: layers[0], signature: 'c2ln' },
      { descriptor: layers[1], signature: 'c2lnMg==' },
    ]);
  });

  it('ignores other layers and documents that are not manifests', () => {
    const mixed = JSON.stringify({ layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: D('1'), size: 1 }, { mediaType: SIMPLE_SIGNING_MEDIA_TYPE, digest: D('2'), size: 2 }, { mediaType: SIMPLE_SIGNING_MEDIA_TYPE }] });
    expect(signatureLayersOf(mixed)).toEqual([{ descriptor: { mediaType: SIMPLE_SIGNING_MEDIA_TYPE, digest: D('2'), size: 2 }, signature: undefined }]);
    expect(signatureLayersOf('{"manifests":[]}')).toEqual([]);
    expect(signatureLayersOf('not json')).toEqual([]);
  });
});
