/**
 * Write-only credentials for remote registries, referenced by policies as
 * `spec.remote.credentials.secretRef`. The password must be recoverable (it is sent to the
 * remote), so it cannot be hashed like a robot secret; it is sealed with AES-256-GCM under a key
 * in the data directory (`<data>/registry/replication.key`, mode 0600), with the credential's
 * name as associated data so a sealed value cannot be moved to another name. A store dump alone
 * (a PostgreSQL backup) does not reveal it; the API never returns it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Resource } from '../../api/index.js';
import type { Store } from '../../store/index.js';
import { INTERNAL_API_VERSION } from '../metadata-kinds.js';
import type { RegistryCredentials } from './oci-auth.js';

/** Internal kind (not served by the REST API): one per credential name. */
export const REPLICATION_CREDENTIAL_KIND = 'RegistryReplicationCredential';

interface SealedSpec {
  readonly username: string;
  /** base64 of iv (12) | tag (16) | ciphertext. */
  readonly sealed: string;
}

/** What listing shows: never the password. */
export interface CredentialSummary {
  readonly name: string;
  readonly username: string;
  readonly createdAt?: string;
}

export class CredentialStore {
  private key: Buffer | undefined;

  constructor(
    private readonly store: Store,
    private readonly keyFile: string,
  ) {}

  private async secret(): Promise<Buffer> {
    if (this.key) return this.key;
    const existing = await readFile(this.keyFile).catch(() => undefined);
    if (existing?.length === 32) return (this.key = existing);
    await mkdir(dirname(this.keyFile), { recursive: true });
    // `wx`: when several servers share the directory, the first writer's key wins.
    await writeFile(this.keyFile, randomBytes(32), { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    this.key = await readFile(this.keyFile);
    return this.key;
  }

  private async seal(name: string, password: string): Promise<string> {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', await this.secret(), iv);
    c.setAAD(Buffer.from(name));
    const data = Buffer.concat([c.update(password, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), data]).toString('base64');
  }

  private async open(name: string, sealed: string): Promise<string> {
    const raw = Buffer.from(sealed, 'base64');
    const d = createDecipheriv('aes-256-gcm', await this.secret(), raw.subarray(0, 12));
    d.setAAD(Buffer.from(name));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  }

  /** Creates or replaces a credential; true when it was created. */
  async put(name: string, creds: RegistryCredentials): Promise<boolean> {
    const spec: SealedSpec = { username: creds.username, sealed: await this.seal(name, creds.password) };
    return this.store.transaction(async (tx) => {
      const old = await tx.tryGet<Resource<SealedSpec>>(REPLICATION_CREDENTIAL_KIND, '', name);
      if (old) {
        await tx.update<Resource<SealedSpec>>({ ...old, metadata: { ...old.metadata, resourceVersion: undefined }, spec });
        return false;
      }
      await tx.create<Resource<SealedSpec>>({ apiVersion: INTERNAL_API_VERSION, kind: REPLICATION_CREDENTIAL_KIND, metadata: { name }, spec });
      return true;
    });
  }

  /** The credential in clear, for the OCI client; undefined when there is none. */
  async get(name: string): Promise<RegistryCredentials | undefined> {
    const rec = await this.store.tryGet<Resource<SealedSpec>>(REPLICATION_CREDENTIAL_KIND, '', name);
    if (!rec?.spec) return undefined;
    return { username: rec.spec.username, password: await this.open(name, rec.spec.sealed) };
  }

  async list(): Promise<CredentialSummary[]> {
    const res = await this.store.list<Resource<SealedSpec>>(REPLICATION_CREDENTIAL_KIND);
    return res.items.map((r) => ({ name: r.metadata.name, username: r.spec?.username ?? '', ...(r.metadata.creationTimestamp ? { createdAt: r.metadata.creationTimestamp } : {}) }));
  }

  /** False when there was none. */
  async delete(name: string): Promise<boolean> {
    if (!(await this.store.tryGet(REPLICATION_CREDENTIAL_KIND, '', name))) return false;
    await this.store.delete(REPLICATION_CREDENTIAL_KIND, '', name);
    return true;
  }
}
