/**
 * The few OCI Distribution calls a signer makes, over fetch with the platform's bearer token
 * (which /v2 accepts as-is): get a manifest, push a blob (skipped when already there), put a
 * manifest. Client side: imports nothing from the server so the CLI can use it.
 */
import { createHash } from 'node:crypto';

/** Accept header for manifests: every type the registry stores. */
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

export const OCI_HTTP_ERROR_CODES = ['unreachable', 'not-found', 'denied', 'rejected'] as const;
export type OciHttpErrorCode = (typeof OCI_HTTP_ERROR_CODES)[number];

/** A registry call that failed: no answer, the thing is not there, no permission, or refused (with the OCI error). */
export class OciHttpError extends Error {
  constructor(
    readonly code: OciHttpErrorCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OciHttpError';
  }
}

/** A manifest as fetched: its bytes, media type and digest. */
export interface FetchedManifest {
  readonly bytes: Buffer;
  readonly mediaType: string;
  readonly digest: string;
}

export const sha256Digest = (b: Buffer): string => digestOf(b, 'sha256');

function digestOf(b: Buffer, alg: 'sha256' | 'sha512'): string {
  return `${alg}:${createHash(alg).update(b).digest('hex')}`;
}

/** The first message of an OCI error body, when there is one. */
async function ociMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    const e = body.errors?.[0];
    if (e?.message) return `${e.code ?? 'ERROR'}: ${e.message}`;
  } catch {
    // not an OCI error body
  }
  return `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
}

export class OciHttp {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly token: string | undefined,
    private readonly timeoutMs = 60_000,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** `host[:port]` as image references name this registry. */
  get host(): string {
    return new URL(this.baseUrl).host;
  }

  private async send(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<Response> {
    const h: Record<string, string> = { ...headers };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    try {
      return await fetch(`${this.baseUrl}${path}`, { method, headers: h, ...(body ? { body } : {}), signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new OciHttpError('unreachable', `cannot reach the registry at ${this.baseUrl}: ${(err as Error).message}`, undefined, { cause: err });
    }
  }

  private async fail(res: Response, what: string): Promise<never> {
    const msg = `${what}: ${await ociMessage(res)}`;
    if (res.status === 404) throw new OciHttpError('not-found', msg, res.status);
    if (res.status === 401 || res.status === 403) throw new OciHttpError('denied', msg, res.status);
    throw new OciHttpError('rejected', msg, res.status);
  }

  /** The manifest `ref` (tag or digest) of `repo`, or undefined when there is none. */
  async getManifest(repo: string, ref: string): Promise<FetchedManifest | undefined> {
    const res = await this.send('GET', `/v2/${repo}/manifests/${ref}`, undefined, { accept: MANIFEST_ACCEPT });
    if (res.status === 404) {
      await res.arrayBuffer().catch(() => undefined);
      return undefined;
    }
    if (!res.ok) return this.fail(res, `GET manifest ${repo}:${ref}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const digest = digestOf(bytes, ref.startsWith('sha512:') ? 'sha512' : 'sha256');
    if (ref.includes(':') && ref !== digest) throw new OciHttpError('rejected', `manifest ${repo}@${ref} came back with digest ${digest}`);
    return { bytes, mediaType: (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '', digest };
  }

  /** Pushes `bytes` as a blob of `repo` (monolithic POST) unless the repository already has it; returns its digest. */
  async pushBlob(repo: string, bytes: Buffer): Promise<string> {
    const digest = sha256Digest(bytes);
    const head = await this.send('HEAD', `/v2/${repo}/blobs/${digest}`);
    if (head.ok) return digest;
    const res = await this.send('POST', `/v2/${repo}/blobs/uploads/?digest=${digest}`, bytes, { 'content-type': 'application/octet-stream' });
    if (res.status !== 201) return this.fail(res, `push blob ${digest} to ${repo}`);
    await res.arrayBuffer().catch(() => undefined);
    return digest;
  }

  /** Puts a manifest under `ref`; returns the digest the registry stored it as. */
  async putManifest(repo: string, ref: string, bytes: Buffer, mediaType: string): Promise<string> {
    const res = await this.send('PUT', `/v2/${repo}/manifests/${ref}`, bytes, { 'content-type': mediaType });
    if (res.status !== 201) return this.fail(res, `push manifest ${repo}:${ref}`);
    await res.arrayBuffer().catch(() => undefined);
    return res.headers.get('docker-content-digest') ?? sha256Digest(bytes);
  }
}
