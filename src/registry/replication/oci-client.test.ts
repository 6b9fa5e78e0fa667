// OciClient's protocol against a scripted registry that records every request: the Bearer token
// flow (scope, service, Basic to the realm, tokens reused), Basic challenges, chunked uploads
// (Content-Range, newest Location, closing PUT with the digest), Link pagination and registries
// that ignore `last`, manifest digest checks, and an unreachable registry.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { DigestMismatchError, RegistryRequestError, RegistryUnreachableError } from './errors.js';
import { OciClient, nextLink } from './oci-client.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly bytes: number;
}

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse, base: string) => void;

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function fake(handler: Handler): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, bytes: body.length });
      handler(req, body, res, url);
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return { url, seen };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

async function* from(...pieces: Buffer[]): AsyncGenerator<Uint8Array> {
  for (const p of pieces) yield p;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const addr = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return typeof addr === 'object' && addr ? addr.port : 0;
}

async function drain(it: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _ of it) void _;
}

describe('OciClient authentication', () => {
  it('runs the Bearer token flow once per scope, with Basic credentials to the realm', async () => {
    const { url, seen } = await fake((req, _b, res, base) => {
      const u = new URL(req.url ?? '', base);
      if (u.pathname === '/token') {
        expect(req.headers.authorization).toBe(`Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
        return json(res, 200, { token: `tok ${u.searchParams.getAll('scope').join(' ')}`, expires_in: 300 });
      }
      const scope = u.pathname === '/v2/' ? '' : 'repository:acme/app:pull';
      if (req.headers.authorization !== `Bearer tok ${scope}`.trimEnd())
        return json(res, 401, { errors: [{ code: 'UNAUTHORIZED' }] }, { 'www-authenticate': `Bearer realm="${base}/token",service="fake",scope="${scope}"` });
      if (u.pathname === '/v2/') return json(res, 200, {});
      return json(res, 200, { name: 'acme/app', tags: ['v2', 'v1'] });
    });
    const c = new OciClient({ url, credentials: { username: 'alice', password: 's3cret' } });
    expect(await c.tags('acme/app')).toEqual(['v1', 'v2']);
    expect(await c.tags('acme/app')).toEqual(['v1', 'v2']);
    // With credentials, the client pings /v2/ first to learn the scheme (one 401 there), then asks
    // for a token per scope and reuses it: no 401 on the repository at all.
    const tokenCalls = seen.filter((s) => s.url.startsWith('/token'));
    expect(tokenCalls.map((s) => new URL(s.url, url).searchParams.toString())).toEqual(['service=fake', 'service=fake&scope=repository%3Aacme%2Fapp%3Apull']);
    expect(seen.filter((s) => s.url === '/v2/').length).toBe(2);
    expect(seen.filter((s) => s.url.startsWith('/v2/acme/app/tags/list')).length).toBe(2);
  });

  it('answers a Basic challenge with the credentials, and says so when it has none', async () => {
    const basic = `Basic ${Buffer.from('bob:pw').toString('base64')}`;
    const { url } = await fake((req, _b, res) => {
      if (req.headers.authorization !== basic) return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'login' }] }, { 'www-authenticate': 'Basic realm="reg"' });
      json(res, 200, {});
    });
    await new OciClient({ url, credentials: { username: 'bob', password: 'pw' } }).ping();
    const err = await new OciClient({ url }).ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryRequestError);
    expect((err as RegistryRequestError).status).toBe(401);
    expect((err as Error).message).toMatch(/needs credentials/);
  });
});

describe('OciClient uploads', () => {
  it('uploads above the chunk size in PATCH chunks with Content-Range, then closes with the digest at the newest Location', async () => {
    const data = randomBytes(250);
    let received = Buffer.alloc(0);
    let state = 0;
    const { url, seen } = await fake((req, body, res, base) => {
      const u = new URL(req.url ?? '', base);
      if (req.method === 'GET' && u.pathname === '/v2/') return json(res, 200, {});
      if (req.method === 'POST') return json(res, 202, {}, { location: `${base}/upload/1?_state=${state}` });
      if (req.method === 'PATCH') {
        received = Buffer.concat([received, body]);
        state++;
        return json(res, 202, {}, { location: `/upload/1?_state=${state}`, range: `0-${received.length - 1}` });
      }
      if (req.method === 'PUT') return json(res, sha(received) === u.searchParams.get('digest') ? 201 : 400, {});
      json(res, 404, {});
    });
    await new OciClient({ url, chunkBytes: 100 }).writeBlob('acme/app', sha(data), data.length, async () => from(data.subarray(0, 30), data.subarray(30)));
    const patches = seen.filter((s) => s.method === 'PATCH');
    expect(patches.map((p) => [p.headers['content-range'], p.headers['content-length'], p.bytes])).toEqual([
      ['0-99', '100', 100],
      ['100-199', '100', 100],
      ['200-249', '50', 50],
    ]);
    expect(patches.map((p) => p.url)).toEqual(['/upload/1?_state=0', '/upload/1?_state=1', '/upload/1?_state=2']);
    const put = seen.find((s) => s.method === 'PUT');
    expect(put?.url).toBe(`/upload/1?_state=3&digest=${encodeURIComponent(sha(data))}`);
    expect(put?.bytes).toBe(0);
    expect(received.equals(data)).toBe(true);
  });

  it('uploads a small blob with POST then one PUT carrying the bytes', async () => {
    const data = randomBytes(40);
    const { url, seen } = await fake((req, body, res, base) => {
      const u = new URL(req.url ?? '', base);
      if (req.method === 'GET') return json(res, 200, {});
      if (req.method === 'POST') return json(res, 202, {}, { location: '/up/9' });
      json(res, req.method === 'PUT' && sha(body) === u.searchParams.get('digest') ? 201 : 400, {});
    });
    await new OciClient({ url }).writeBlob('acme/app', sha(data), data.length, async () => from(data));
    // The POST (no body) learns that no credentials are needed, so the streamed PUT needs no ping.
    expect(seen.map((s) => `${s.method} ${s.url.split('?')[0]}`)).toEqual(['POST /v2/acme/app/blobs/uploads/', 'PUT /up/9']);
    expect(seen[1]?.headers['content-length']).toBe('40');
  });
});

describe('OciClient lists and manifests', () => {
  it('follows Link pages, and stops when a registry ignores `last` and repeats itself', async () => {
    const { url } = await fake((req, _b, res, base) => {
      const u = new URL(req.url ?? '', base);
      if (u.pathname === '/v2/_catalog') {
        const last = u.searchParams.get('last');
        if (!last) return json(res, 200, { repositories: ['a/x', 'a/y'] }, { link: '</v2/_catalog?last=a%2Fy&n=2>; rel="next"' });
        return json(res, 200, { repositories: ['b/z'] });
      }
      // Ignores n and last but still sends a next link, forever.
      json(res, 200, { name: 'r/s', tags: ['b', 'a'] }, { link: '</v2/r/s/tags/list?last=b&n=2>; rel="next"' });
    });
    const c = new OciClient({ url });
    expect(await c.repositories()).toEqual(['a/x', 'a/y', 'b/z']);
    expect(await c.repositories('a')).toEqual(['a/x', 'a/y']);
    expect(await c.tags('r/s')).toEqual(['a', 'b']);
  });

  it('asks for every manifest type and rejects bytes that do not match the announced digest', async () => {
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [] }));
    const { url, seen } = await fake((_req, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha(Buffer.from('other')) });
      res.end(bytes);
    });
    await expect(new OciClient({ url }).getManifest('r/s', 'v1')).rejects.toBeInstanceOf(DigestMismatchError);
    const accept = String(seen[0]?.headers.accept);
    for (const t of ['oci.image.manifest.v1', 'oci.image.index.v1', 'docker.distribution.manifest.v2', 'docker.distribution.manifest.list.v2']) expect(accept).toContain(t);
  });

  it('reports an unreachable registry as such, with the socket error', async () => {
    const c = new OciClient({ url: `http://127.0.0.1:${await closedPort()}` });
    const err = await c.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryUnreachableError);
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
    expect((err as RegistryUnreachableError).retryable).toBe(true);
    await expect(c.readBlob('a/b', sha(Buffer.from('x'))).then(drain)).rejects.toBeInstanceOf(RegistryUnreachableError);
  });

  it('parses Link headers', () => {
    expect(nextLink('</v2/_catalog?last=x&n=2>; rel="next"')).toBe('/v2/_catalog?last=x&n=2');
    expect(nextLink('<https://h/p>; rel=prev, <https://h/q>; rel=next')).toBe('https://h/q');
    expect(nextLink(null)).toBeUndefined();
  });
});
