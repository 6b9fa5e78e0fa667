/**
 * `bulkhead image keygen|sign|verify`: cosign-format image signatures. keygen writes an ECDSA
 * P-256 key pair (PKCS#8 private key, optionally encrypted; SPKI public key like `cosign.pub`);
 * sign signs here, with the local private key, and pushes the signature through /v2; verify asks
 * the server (POST /registry/v1/verify) against the project's trusted keys or a given public key
 * and exits 1 when the image is not verified. The signing code is imported on first use, so the
 * CLI starts without it.
 */
import { readFile, writeFile, chmod } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Context } from '../context.js';
import { UserError } from '../errors.js';
import { optionalString, requiredString } from '../flags.js';
import type { Output } from '../output.js';
import { defineCommand, type Command } from '../spec.js';
import type { VerifyResponse } from '../../registry/signing/routes.js';
import { parseImageRef } from './image.js';

/** Local copy so the CLI loads no registry server code at start. */
const VERIFY_PATH = '/registry/v1/verify';
/** Environment variable holding the private key's passphrase (like cosign's COSIGN_PASSWORD). */
export const SIGNING_PASSWORD_ENV = 'BULKHEAD_SIGNING_PASSWORD';

const IMAGE_ARG = [{ name: 'image', description: 'PROJECT/REPO:TAG or PROJECT/REPO@DIGEST', required: true }];
const PASSPHRASE_OPTION = { flags: '--passphrase-file <file>', description: `file holding the private key's passphrase (default: $${SIGNING_PASSWORD_ENV})` };

async function readText(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read ${flag} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
}

/** The passphrase from `--passphrase-file` (trailing newline dropped) or the environment; undefined when neither. */
async function passphrase(ctx: Context, file: string | undefined): Promise<string | undefined> {
  if (file !== undefined) {
    const text = (await readText(file, '--passphrase-file')).replace(/\r?\n$/, '');
    if (text === '') throw new UserError(`--passphrase-file ${file} is empty`);
    return text;
  }
  const env = ctx.env[SIGNING_PASSWORD_ENV];
  return env === undefined || env === '' ? undefined : env;
}

/** Turns the signing modules' typed errors into one-line user errors. */
async function userErrors<T>(fn: () => Promise<T>): Promise<T> {
  const [{ SigningKeyError }, { OciHttpError }] = await Promise.all([import('../../registry/signing/signature-crypto.js'), import('../../registry/signing/oci-http.js')]);
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SigningKeyError) {
      const hint = err.code === 'passphrase-required' ? ` (give --passphrase-file or set ${SIGNING_PASSWORD_ENV})` : '';
      throw new UserError(`${err.message}${hint}`, { cause: err });
    }
    if (err instanceof OciHttpError) throw new UserError(err.message, { cause: err });
    throw err;
  }
}

interface KeygenInput {
  readonly prefix: string;
  readonly force: boolean;
  readonly passphraseFile?: string;
}

/** Writes `path` with `mode`, refusing to replace an existing file unless `force`. */
async function writeKeyFile(path: string, text: string, mode: number, force: boolean): Promise<void> {
  try {
    await writeFile(path, text, { mode, flag: force ? 'w' : 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UserError(`${path} already exists; pass --force to replace it or --out to choose another name`, { cause: err });
    throw new UserError(`cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
  await chmod(path, mode); // `mode` applies only when the file is created
}

export const imageKeygenCommand = defineCommand<KeygenInput>({
  name: 'keygen',
  description: 'Create an ECDSA P-256 key pair for signing images (PREFIX.key, mode 0600, and PREFIX.pub)',
  options: [
    { flags: '--out <prefix>', description: 'file name prefix', default: 'cosign' },
    PASSPHRASE_OPTION,
    { flags: '--force', description: 'replace existing key files' },
  ],
  examples: ['bulkhead image keygen', `${SIGNING_PASSWORD_ENV}=... bulkhead image keygen --out release`, 'bulkhead image keygen --out ci --passphrase-file ./pass.txt'],
  parse: ({ opts }) => {
    const file = optionalString(opts.passphraseFile, '--passphrase-file');
    return { prefix: requiredString(opts.out ?? 'cosign', '--out'), force: opts.force === true, ...(file !== undefined ? { passphraseFile: file } : {}) };
  },
  run: async (ctx, input) => {
    const { generateSigningKeyPair } = await import('../../registry/signing/signature-crypto.js');
    const pair = generateSigningKeyPair(await passphrase(ctx, input.passphraseFile));
    const keyPath = `${input.prefix}.key`;
    const pubPath = `${input.prefix}.pub`;
    await writeKeyFile(keyPath, pair.privateKeyPem, 0o600, input.force);
    await writeKeyFile(pubPath, pair.publicKeyPem, 0o644, input.force);
    if (!pair.encrypted) ctx.log(`note: ${keyPath} is not encrypted; set ${SIGNING_PASSWORD_ENV} or use --passphrase-file to encrypt it`);
    ctx.log(`add ${pubPath} to the project's spec.trustedKeys to trust signatures made with ${keyPath}`);
    return {
      type: 'message',
      lines: [`private key written to ${keyPath}${pair.encrypted ? ' (encrypted)' : ''}`, `public key written to ${pubPath}`],
      data: { privateKey: keyPath, publicKey: pubPath, encrypted: pair.encrypted, publicKeyPem: pair.publicKeyPem },
      names: [keyPath, pubPath],
    };
  },
});

interface SignInput {
  readonly repository: string;
  readonly reference: string;
  readonly keyFile: string;
  readonly passphraseFile?: string;
}

export const imageSignCommand = defineCommand<SignInput>({
  name: 'sign',
  description: 'Sign an image with a local private key and push the signature (cosign format, tag sha256-<hex>.sig)',
  args: IMAGE_ARG,
  options: [{ flags: '--key <file>', description: 'PEM private key (from `bulkhead image keygen`)', required: true }, PASSPHRASE_OPTION],
  examples: ['bulkhead image sign acme-web/app:v1 --key cosign.key', `${SIGNING_PASSWORD_ENV}=... bulkhead image sign acme-web/app@sha256:... --key release.key`],
  parse: ({ args, opts }) => {
    const file = optionalString(opts.passphraseFile, '--passphrase-file');
    return { ...parseImageRef(args[0] ?? ''), keyFile: requiredString(opts.key, '--key'), ...(file !== undefined ? { passphraseFile: file } : {}) };
  },
  run: async (ctx, input) => {
    const pem = await readText(input.keyFile, '--key');
    const pass = await passphrase(ctx, input.passphraseFile);
    const result = await userErrors(async () => {
      const [{ loadPrivateKey }, { OciHttp }, { signImage }] = await Promise.all([
        import('../../registry/signing/signature-crypto.js'),
        import('../../registry/signing/oci-http.js'),
        import('../../registry/signing/sign-image.js'),
      ]);
      const privateKey = loadPrivateKey(pem, pass);
      const conn = ctx.connection();
      return signImage(new OciHttp(conn.server, conn.token), { repository: input.repository, reference: input.reference, privateKey });
    });
    return {
      type: 'message',
      lines: [`signed ${result.dockerReference}@${result.digest} (${result.signatures} signature(s) in ${result.tag})`],
      data: result,
      names: [`${result.repository}@${result.digest}`],
    };
  },
});

interface VerifyInput {
  readonly repository: string;
  readonly reference: string;
  readonly keyFile?: string;
}

/** The one-line verdict. */
export function verdictLine(v: VerifyResponse): string {
  return `${v.verified ? 'verified' : 'NOT verified'}: ${v.repository}@${v.digest}: ${v.reason}`;
}

export const imageVerifyCommand = defineCommand<VerifyInput>({
  name: 'verify',
  description: "Verify an image's signatures against the project's trusted keys (or --key); exits 1 when not verified",
  args: IMAGE_ARG,
  options: [{ flags: '--key <file>', description: "verify against this PEM public key instead of the project's trusted keys" }],
  examples: ['bulkhead image verify acme-web/app:v1', 'bulkhead image verify acme-web/app:v1 --key cosign.pub -o json'],
  parse: ({ args, opts }) => {
    const file = optionalString(opts.key, '--key');
    return { ...parseImageRef(args[0] ?? ''), ...(file !== undefined ? { keyFile: file } : {}) };
  },
  run: async (ctx, input): Promise<Output> => {
    const body = {
      repository: input.repository,
      reference: input.reference,
      ...(input.keyFile !== undefined ? { publicKey: await readText(input.keyFile, '--key'), keyName: basename(input.keyFile).slice(0, 63) } : {}),
    };
    const v = await ctx.client().request<VerifyResponse>('POST', VERIFY_PATH, { body });
    return { type: 'message', lines: [verdictLine(v)], data: v, names: [`${v.repository}@${v.digest}`], ...(v.verified ? {} : { exitCode: 1 }) };
  },
});

/** The signing commands of the `image` group. */
export const IMAGE_SIGNING_COMMANDS: readonly Command[] = [imageKeygenCommand, imageSignCommand, imageVerifyCommand];
