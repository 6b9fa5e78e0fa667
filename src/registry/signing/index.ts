/**
 * Image signatures in the cosign format: server-side verification (for the verify route and the
 * deploy-time policy) and the pure format helpers. The client-side signer (sign-image.ts) is
 * imported by the CLI directly, lazily, so it never pulls server code in.
 */
export { verifyImageSignatures, type SignatureCheck, type SignatureSources, type SignatureVerdict } from './verify-image.js';
export { VERIFY_PATH, registerSigningRoutes, type VerifyResponse } from './routes.js';
export { COSIGN_SIGNATURE_TYPE, SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE, buildPayload, parsePayload, signatureTag, type PayloadParse, type SimpleSigningPayload } from './simple-signing.js';
