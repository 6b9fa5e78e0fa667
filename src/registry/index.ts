/** The image registry: OCI Distribution under /v2, projects, robot accounts, the blob store. */
export { createRegistryExtension, registryExtension, type RegistryExtensionOptions } from './extension.js';
export type { BlobStore, BlobInfo, UploadState } from './blob-store.js';
export { FsBlobStore } from './fs-blob-store.js';
export { RegistryMetadata } from './metadata.js';
export { ROLE_ACTIONS, actionsIn, type Identity, type RegistryAction } from './access.js';
export { OciError, OCI_ERROR_CODES, type OciErrorCode } from './errors.js';
export { ROBOTS_PATH } from './http/robot-routes.js';
export type { MintedRobot } from './robots.js';
export { verifyImageSignatures, type SignatureVerdict } from './signing/index.js';
