/** Media types the registry recognises: manifests it accepts and layers it never requires. */

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** Manifest media types accepted on PUT. */
export const MANIFEST_TYPES: ReadonlySet<string> = new Set([OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST]);
/** The ones whose descriptors point to other manifests. */
export const INDEX_TYPES: ReadonlySet<string> = new Set([OCI_INDEX, DOCKER_LIST]);

/** Layers that are never pushed to a registry (their content lives elsewhere). */
export function isNonDistributable(mediaType: string): boolean {
  return mediaType.startsWith('application/vnd.oci.image.layer.nondistributable.') || mediaType === 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip';
}

/** The largest manifest accepted (as in distribution/distribution). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
