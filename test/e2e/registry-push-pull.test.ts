// OCI Distribution conformance, pull and push: our own cases modelled on the spec's suites
// (end-1 .. end-6, end-13, end-14): HEAD/GET/Range, monolithic, chunked, streamed, sha512, bad digests.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type Running } from './harness.js';
import { Oci, blob, createProject, digestOf, errorCode } from './registry-client.js';

let run: Running;
let oci: Oci;
const REPO = 'acme-web/api';

beforeAll(async () => {
  run = await startTestPlatform();
  await createProject(run, 'acme-web', 'acme');
  oci = Oci.bearer(run.platform.url, run.platform.adminToken);
});
afterAll(async () => run?.stop());

describe('ping and names', () => {
  it('GET /v2/ is 200 with credentials and a 401 Bearer challenge without', async () => {
    expect((await oci.fetch('GET', '/v2/')).status).toBe(200);
    const anon = await new Oci(run.platform.url).fetch('GET', '/v2/');
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toMatch(/^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/v2\/token",service="bulkhead"/);
    expect(await errorCode(anon)).toBe('UNAUTHORIZED');
  });

  it('rejects invalid names, traversal and over-long names with NAME_INVALID', async () => {
    for (const path of ['/v2/acme-web/UPPER/tags/list', '/v2/acme-web/tags/list', '/v2/acme-web/a..b/manifests/v1', '/v2/solo/tags/list', `/v2/acme-web/${'a'.repeat(260)}/tags/list`]) {
      const res = await oci.fetch('GET', path);
      expect(res.status, path).toBe(400);
      expect(await errorCode(res), path).toBe('NAME_INVALID');
    }
    // fetch normalises dot segments, so send the encoded traversal on a raw socket.
    for (const path of ['/v2/acme-web/%2e%2e/secret/tags/list', '/v2/acme-web/..%2fother/manifests/v1']) {
      const status = await new Promise<number>((resolve, reject) => {
        const r = httpRequest(`${run.platform.url}${path}`, { headers: { authorization: oci.authorization ?? '' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        r.on('error', reject);
        r.end();
      });
      expect(status, path).toBe(400);
    }
  });
});

describe('blobs', () => {
  it('monolithic POST ?digest= gives 201 + Location; HEAD and GET return the bytes with Docker-Content-Digest', async () => {
    const b = blob(2048);
    const res = await oci.pushBlob(REPO, b);
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v2/${REPO}/blobs/${b.digest}`);
    const head = await oci.fetch('HEAD', `/v2/${REPO}/blobs/${b.digest}`);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('2048');
    expect(head.headers.get('docker-content-digest')).toBe(b.digest);
    const get = await oci.fetch('GET', `/v2/${REPO}/blobs/${b.digest}`);
    expect(Buffer.from(await get.arrayBuffer()).equals(b.bytes)).toBe(true);
  });

  it('serves ranges: 206 with Content-Range, suffix and open ranges, 416 when unsatisfiable', async () => {
    const b = blob(2048);
    await oci.pushBlob(REPO, b);
    const r = await oci.fetch('GET', `/v2/${REPO}/blobs/${b.digest}`, undefined, { range: 'bytes=500-1499' });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe('bytes 500-1499/2048');
    expect(Buffer.from(await r.arrayBuffer()).equals(b.bytes.subarray(500, 1500))).toBe(true);
    const suffix = await oci.fetch('GET', `/v2/${REPO}/blobs/${b.digest}`, undefined, { range: 'bytes=-500' });
    expect(Buffer.from(await suffix.arrayBuffer()).equals(b.bytes.subarray(1548))).toBe(true);
    const clipped = await oci.fetch('GET', `/v2/${REPO}/blobs/${b.digest}`, undefined, { range: 'bytes=2000-5000' });
    expect(clipped.headers.get('content-range')).toBe('bytes 2000-2047/2048');
    await clipped.arrayBuffer();
    for (const bad of ['bytes=500-0', 'bytes=5000-10000']) {
      const res = await oci.fetch('GET', `/v2/${REPO}/blobs/${b.digest}`, undefined, { range: bad });
      expect(res.status, bad).toBe(416);
      await res.arrayBuffer();
    }
  });

  it('unknown blobs are 404 BLOB_UNKNOWN, even when another project holds them', async () => {
    const b = blob(100);
    const res = await oci.fetch('GET', `/v2/${REPO}/blobs/${b.digest}`);
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('BLOB_UNKNOWN');
  });

  it('POST then PUT (monolithic session) with Location reuse', async () => {
    const b = blob(300);
    const start = await oci.fetch('POST', `/v2/${REPO}/blobs/uploads/`);
    expect(start.status).toBe(202);
    const loc = start.headers.get('location') ?? '';
    expect(loc).toMatch(new RegExp(`^/v2/${REPO}/blobs/uploads/[0-9a-f-]{36}$`));
    expect(start.headers.get('docker-upload-uuid')).toBe(loc.split('/').pop());
    expect(start.headers.get('range')).toBe('0-0');
    const put = await oci.fetch('PUT', `${loc}?digest=${b.digest}`, b.bytes, { 'content-type': 'application/octet-stream' });
    expect(put.status).toBe(201);
    expect(put.headers.get('docker-content-digest')).toBe(b.digest);
  });

  it('chunked: in-order PATCHes give 202 + Range; out of order is 416 with the current Range; status is 204', async () => {
    const b = blob(42);
    const start = await oci.fetch('POST', `/v2/${REPO}/blobs/uploads/`);
    const loc = start.headers.get('location') ?? '';
    const second = await oci.fetch('PATCH', loc, b.bytes.subarray(22), { 'content-type': 'application/octet-stream', 'content-range': '22-41' });
    expect(second.status).toBe(416);
    const first = await oci.fetch('PATCH', loc, b.bytes.subarray(0, 22), { 'content-type': 'application/octet-stream', 'content-range': '0-21' });
    expect(first.status).toBe(202);
    expect(first.headers.get('range')).toBe('0-21');
    const again = await oci.fetch('PATCH', first.headers.get('location') ?? loc, b.bytes.subarray(0, 22), { 'content-type': 'application/octet-stream', 'content-range': '0-21' });
    expect(again.status).toBe(416);
    expect(again.headers.get('range')).toBe('0-21');
    const status = await oci.fetch('GET', loc);
    expect(status.status).toBe(204);
    expect(status.headers.get('range')).toBe('0-21');
    expect(status.headers.get('location')).toBe(loc);
    const rest = await oci.fetch('PATCH', loc, b.bytes.subarray(22), { 'content-type': 'application/octet-stream', 'content-range': '22-41' });
    expect(rest.status).toBe(202);
    const done = await oci.fetch('PUT', `${loc}?digest=${b.digest}`);
    expect(done.status).toBe(201);
    const get = await oci.fetch('GET', `/v2/${REPO}/blobs/${b.digest}`);
    expect(Buffer.from(await get.arrayBuffer()).equals(b.bytes)).toBe(true);
  });

  it('streamed PATCH without Content-Range, then PUT with the last chunk', async () => {
    const b = blob(5000);
    const loc = (await oci.fetch('POST', `/v2/${REPO}/blobs/uploads/`)).headers.get('location') ?? '';
    const p = await oci.fetch('PATCH', loc, b.bytes.subarray(0, 3000), { 'content-type': 'application/octet-stream' });
    expect(p.status).toBe(202);
    expect(p.headers.get('range')).toBe('0-2999');
    const put = await oci.fetch('PUT', `${loc}?digest=${b.digest}`, b.bytes.subarray(3000), { 'content-type': 'application/octet-stream', 'content-range': '3000-4999' });
    expect(put.status).toBe(201);
  });

  it('a digest mismatch is 400 DIGEST_INVALID and leaves nothing visible; the upload is gone', async () => {
    const b = blob(100);
    const wrong = digestOf('something else');
    const res = await oci.fetch('POST', `/v2/${REPO}/blobs/uploads/?digest=${wrong}`, b.bytes, { 'content-type': 'application/octet-stream' });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('DIGEST_INVALID');
    expect((await oci.fetch('HEAD', `/v2/${REPO}/blobs/${wrong}`)).status).toBe(404);
    expect((await oci.fetch('HEAD', `/v2/${REPO}/blobs/${b.digest}`)).status).toBe(404);
    const loc = (await oci.fetch('POST', `/v2/${REPO}/blobs/uploads/`)).headers.get('location') ?? '';
    expect((await oci.fetch('PUT', `${loc}?digest=${wrong}`, b.bytes, { 'content-type': 'application/octet-stream' })).status).toBe(400);
    expect((await oci.fetch('GET', loc)).status).toBe(404);
    const bad = await oci.fetch('POST', `/v2/${REPO}/blobs/uploads/?digest=md5:abc`, b.bytes, { 'content-type': 'application/octet-stream' });
    expect(bad.status).toBe(400);
  });

  it('verifies sha512 digests', async () => {
    const b = blob(777);
    const d = digestOf(b.bytes, 'sha512');
    const res = await oci.fetch('POST', `/v2/${REPO}/blobs/uploads/?digest=${d}`, b.bytes, { 'content-type': 'application/octet-stream' });
    expect(res.status).toBe(201);
    const get = await oci.fetch('GET', `/v2/${REPO}/blobs/${d}`);
    expect(get.headers.get('docker-content-digest')).toBe(d);
    expect(Buffer.from(await get.arrayBuffer()).equals(b.bytes)).toBe(true);
    const loc = (await oci.fetch('POST', `/v2/${REPO}/blobs/uploads/?digest-algorithm=sha512`)).headers.get('location') ?? '';
    await oci.fetch('PATCH', loc, b.bytes, { 'content-type': 'application/octet-stream' });
    expect((await oci.fetch('PUT', `${loc}?digest=${digestOf(Buffer.from('x'), 'sha512')}`)).status).toBe(400);
  });

  it('DELETE of an upload cancels it (204, then 404 BLOB_UPLOAD_UNKNOWN)', async () => {
    const loc = (await oci.fetch('POST', `/v2/${REPO}/blobs/uploads/`)).headers.get('location') ?? '';
    expect((await oci.fetch('DELETE', loc)).status).toBe(204);
    const res = await oci.fetch('GET', loc);
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('BLOB_UPLOAD_UNKNOWN');
  });

  it('mounts a blob from a repository the caller can read (201), and falls back to an upload (202) otherwise', async () => {
    const b = blob(640);
    await oci.pushBlob(REPO, b);
    const m = await oci.fetch('POST', `/v2/acme-web/other/blobs/uploads/?mount=${b.digest}&from=${REPO}`);
    expect(m.status).toBe(201);
    expect(m.headers.get('location')).toBe(`/v2/acme-web/other/blobs/${b.digest}`);
    expect((await oci.fetch('HEAD', `/v2/acme-web/other/blobs/${b.digest}`)).status).toBe(200);
    const missing = await oci.fetch('POST', `/v2/acme-web/other/blobs/uploads/?mount=${digestOf('nope')}&from=${REPO}`);
    expect(missing.status).toBe(202);
    expect(missing.headers.get('location')).toMatch(/^\/v2\/acme-web\/other\/blobs\/uploads\//);
    const noFrom = await oci.fetch('POST', `/v2/acme-web/other/blobs/uploads/?mount=${b.digest}`);
    expect(noFrom.status).toBe(202);
  });

  it('DELETE blob is 202, then 404', async () => {
    const b = blob(10);
    await oci.pushBlob(REPO, b);
    expect((await oci.fetch('DELETE', `/v2/${REPO}/blobs/${b.digest}`)).status).toBe(202);
    expect((await oci.fetch('HEAD', `/v2/${REPO}/blobs/${b.digest}`)).status).toBe(404);
    expect((await oci.fetch('DELETE', `/v2/${REPO}/blobs/${b.digest}`)).status).toBe(404);
  });
});
