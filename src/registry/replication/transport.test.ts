// The transport for `insecure` remotes: against an https server with a self-signed certificate,
// Node's fetch refuses the certificate while the insecure adapter talks to it, streams a request
// body, follows a redirect and drops Authorization when the redirect leaves the origin.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchTransport, insecureTransport, transportFor } from './transport.js';

let https: Server;
let other: HttpServer;
let base: string;
let otherBase: string;
const seenAuth: (string | undefined)[] = [];

function listen(s: Server | HttpServer): Promise<number> {
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as { port: number }).port)));
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bh-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  const key = readFileSync(join(dir, 'k.pem'));
  const cert = readFileSync(join(dir, 'c.pem'));
  rmSync(dir, { recursive: true, force: true });
  other = createHttpServer((req, res) => {
    seenAuth.push(req.headers.authorization);
    res.end('elsewhere');
  });
  otherBase = `http://127.0.0.1:${await listen(other)}`;
  https = createServer({ key, cert }, (req, res) => {
    if (req.url === '/away') {
      res.writeHead(307, { location: `${otherBase}/landing` });
      return res.end();
    }
    let n = 0;
    req.on('data', (d: Buffer) => (n += d.length));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-auth': req.headers.authorization ?? '' });
      res.end(JSON.stringify({ method: req.method, received: n }));
    });
  });
  base = `https://127.0.0.1:${await listen(https)}`;
});

afterAll(async () => {
  await new Promise((r) => https.close(r));
  await new Promise((r) => other.close(r));
});

describe('transports', () => {
  it('fetch refuses a self-signed certificate; the insecure adapter does not', async () => {
    await expect(fetchTransport(`${base}/v2/`, { method: 'GET', headers: {} })).rejects.toThrow();
    const res = await insecureTransport(`${base}/v2/`, { method: 'GET', headers: { authorization: 'Bearer t' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-auth')).toBe('Bearer t');
    expect(await res.json()).toEqual({ method: 'GET', received: 0 });
  });

  it('streams a request body through the insecure adapter', async () => {
    async function* body(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 4; i++) yield new Uint8Array(1000);
    }
    const res = await insecureTransport(`${base}/upload`, { method: 'PUT', headers: { 'content-length': '4000' }, body: ReadableStream.from(body()) as ReadableStream<Uint8Array> });
    expect(await res.json()).toEqual({ method: 'PUT', received: 4000 });
  });

  it('follows a redirect to another origin without the Authorization header', async () => {
    const res = await insecureTransport(`${base}/away`, { method: 'GET', headers: { authorization: 'Basic c2VjcmV0' } });
    expect(await res.text()).toBe('elsewhere');
    expect(seenAuth).toEqual([undefined]);
  });

  it('is chosen only for https remotes marked insecure', () => {
    expect(transportFor('https://h', true)).toBe(insecureTransport);
    expect(transportFor('https://h', false)).toBe(fetchTransport);
    expect(transportFor('http://h', true)).toBe(fetchTransport);
  });
});
