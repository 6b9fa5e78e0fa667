// The endpoint contract against this platform's registry (blob store + metadata in SQLite) and
// against docker-registry 2.8.2 through OciClient with a small chunk size, so uploads above it go
// through PATCH chunks. Skipped, with a warning, only where docker-registry is not installed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasDockerRegistry, startDockerRegistry } from '../../../bench/support/docker-registry.js';
import { API_VERSION, type Project } from '../../api/index.js';
import { openSqliteStore } from '../../store/index.js';
import { FsBlobStore } from '../fs-blob-store.js';
import { RegistryMetadata } from '../metadata.js';
import { runEndpointConformance } from './endpoint.conformance.js';
import { LocalEndpoint } from './local-endpoint.js';
import { OciClient } from './oci-client.js';

runEndpointConformance('LocalEndpoint (FsBlobStore + SQLite metadata)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'bh-repl-local-'));
  const store = await openSqliteStore({ path: ':memory:' });
  const project: Project = { apiVersion: API_VERSION, kind: 'Project', metadata: { name: 'conf' }, spec: { tenant: 't' } };
  await store.create(project);
  const endpoint = new LocalEndpoint({ blobs: new FsBlobStore(root), meta: new RegistryMetadata(store), store, user: 'test' });
  return {
    endpoint,
    namespace: 'conf',
    chunkBytes: 0,
    async close() {
      await store.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});

if (hasDockerRegistry()) {
  runEndpointConformance('OciClient → docker-registry 2.8.2 (64 KiB chunks)', async () => {
    const reg = await startDockerRegistry();
    const chunkBytes = 64 * 1024;
    return { endpoint: new OciClient({ url: reg.url, chunkBytes }), namespace: 'conf', chunkBytes, close: () => reg.stop() };
  });
} else {
  console.warn('docker-registry is not installed: skipping the OciClient conformance run against it');
}
