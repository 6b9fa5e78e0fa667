// Store write throughput without HTTP: N creates with C in flight, against SQLite or PostgreSQL.
// Usage: node dist/bench/store-direct.js [sqlite:PATH | postgres://...] [count=20000] [concurrency=32]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/index.js';

async function main(): Promise<void> {
  const [urlArg, countArg, concArg] = process.argv.slice(2);
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-'));
  const url = urlArg || `sqlite:${join(dir, 'bench.db')}`;
  const count = Number(countArg ?? 20_000);
  const concurrency = Number(concArg ?? 32);
  const store = await openStore(url);
  const latencies: number[] = [];
  let next = 0;
  const run = `b${Date.now().toString(36)}`;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      await store.create({
        apiVersion: 'bulkhead.dev/v1',
        kind: 'VirtualMachine',
        metadata: { name: `${run}-vm-${i}`, namespace: `t${i % 16}`, labels: { app: 'bench', shard: String(i % 8) } },
        spec: { cpu: 2, memoryMiB: 4096, image: 'ubuntu-24.04', disks: [{ name: 'root', sizeGiB: 20 }] },
      });
      latencies.push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number): string => (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(2);
  console.log(
    `${url.startsWith('postgres') ? 'postgres' : 'sqlite'}: ${count} creates, ${concurrency} in flight: ${(count / secs).toFixed(0)} creates/s, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms`,
  );
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
