/**
 * A small OCI client for the registry end-to-end tests: raw fetch with an Authorization header,
 * digest helpers, monolithic blob push and manifest push, plus platform setup (tenant, project,
 * user with a password).
 */
import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Running } from './harness.js';
import { V1, tenant } from './harness.js';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

export function digestOf(b: Buffer | string, alg: 'sha256' | 'sha512' = 'sha256'): string {
  return `${alg}:${createHash(alg).update(b).digest('hex')}`;
}

export interface Blob {
  readonly bytes: Buffer;
  readonly digest: string;
}

export function blob(size: number): Blob {
  const bytes = randomBytes(size);
  return { bytes, digest: digestOf(bytes) };
}

export function imageManifest(config: Blob, layers: readonly Blob[], extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: config.digest, size: config.bytes.length },
      layers: layers.map((l) => ({ mediaType: OCI_LAYER, digest: l.digest, size: l.bytes.length })),
      ...extra,
    }),
  );
}

export class Oci {
  constructor(
    readonly url: string,
    readonly authorization?: string,
  ) {}

  static basic(url: string, user: string, password: string): Oci {
    return new Oci(url, `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`);
  }

  static bearer(url: string, token: string | undefined): Oci {
    return new Oci(url, token ? `Bearer ${token}` : undefined);
  }

  fetch(method: string, path: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<Response> {
    const h: Record<string, string> = { ...headers };
    if (this.authorization) h.authorization = this.authorization;
    const full = path.startsWith('http') ? path : `${this.url}${path}`;
    return fetch(full, { method, headers: h, ...(body !== undefined ? { body } : {}) });
  }

  async pushBlob(repo: string, b: Blob): Promise<Response> {
    const res = await this.fetch('POST', `/v2/${repo}/blobs/uploads/?digest=${b.digest}`, b.bytes, { 'content-type': 'application/octet-stream' });
    await res.arrayBuffer();
    return res;
  }

  async pushManifest(repo: string, ref: string, bytes: Buffer, mediaType = OCI_MANIFEST): Promise<Response> {
    const res = await this.fetch('PUT', `/v2/${repo}/manifests/${ref}`, bytes, { 'content-type': mediaType });
    return res;
  }

  /** Pushes a config, `layers` random layers and a manifest tagged `tag`; returns the manifest digest. */
  async pushImage(repo: string, tag: string, layers = 2, extra: Record<string, unknown> = {}): Promise<{ digest: string; manifest: Buffer; blobs: Blob[] }> {
    const config = { bytes: Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', nonce: randomBytes(8).toString('hex') })), digest: '' };
    const cfg = { ...config, digest: digestOf(config.bytes) };
    const ls = Array.from({ length: layers }, () => blob(1024 + Math.floor(Math.random() * 4096)));
    for (const b of [cfg, ...ls]) expect((await this.pushBlob(repo, b)).status).toBe(201);
    const manifest = imageManifest(cfg, ls, extra);
    const res = await this.pushManifest(repo, tag, manifest);
    expect(res.status, await res.clone().text()).toBe(201);
    return { digest: digestOf(manifest), manifest, blobs: [cfg, ...ls] };
  }
}

/** Pushes a config and one given layer as an image tagged `tag`; the manifest push's status and digest. */
export async function pushLayerImage(oci: Oci, repo: string, tag: string, layer: Buffer): Promise<{ status: number; digest: string }> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, tag }));
  for (const bytes of [config, layer]) expect((await oci.pushBlob(repo, { bytes, digest: digestOf(bytes) })).status).toBe(201);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: digestOf(config), size: config.length },
      layers: [{ mediaType: OCI_LAYER, digest: digestOf(layer), size: layer.length }],
    }),
  );
  const res = await oci.pushManifest(repo, tag, manifest);
  await res.arrayBuffer();
  return { status: res.status, digest: digestOf(manifest) };
}

export async function errorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { errors?: { code: string }[] };
  return body.errors?.[0]?.code;
}

export async function createProject(run: Running, name: string, tenantName: string, spec: Record<string, unknown> = {}): Promise<void> {
  const t = await run.admin.get(`${V1}/tenants/${tenantName}`);
  if (t.status === 404) expect((await run.admin.post(`${V1}/tenants`, tenant(tenantName, 'low'))).status).toBe(201);
  const res = await run.admin.post(`${V1}/projects`, { apiVersion: 'bulkhead.dev/v1', kind: 'Project', metadata: { name }, spec: { tenant: tenantName, ...spec } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

export async function createUser(run: Running, name: string, password: string, groups: string[] = []): Promise<void> {
  expect((await run.admin.post(`${V1}/users`, { apiVersion: 'bulkhead.dev/v1', kind: 'User', metadata: { name }, spec: { groups } })).status).toBe(201);
  expect((await run.admin.put(`/auth/users/${name}/password`, { password })).status).toBe(200);
}
