/**
 * Test helper process for the kill -9 durability test: writes to a SQLite store as fast as it can
 * and prints `<name> <resourceVersion>` for every acknowledged write, until it is killed.
 * Usage: node dist/src/store/sqlite/crash-writer.js PATH [RUN-TAG]
 */
import type { Resource } from '../../api/index.js';
import { openSqliteStore } from './sqlite-store.js';

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) throw new Error('usage: crash-writer.js PATH');
  const tag = process.argv[3] ?? 'r0';
  const store = await openSqliteStore({ path });
  let i = 0;
  // Several writers in flight, so acknowledged writes span group commits.
  const writer = async (): Promise<never> => {
    for (;;) {
      const n = i++;
      const obj: Resource =
        n % 3 === 2
          ? await store.update({ apiVersion: 'v1', kind: 'Item', metadata: { name: `item-${tag}-${n - 2}`, namespace: 'crash' }, spec: { n, pad: 'x'.repeat(n % 500) } })
          : await store.create({ apiVersion: 'v1', kind: 'Item', metadata: { name: `item-${tag}-${n}`, namespace: 'crash' }, spec: { n, pad: 'y'.repeat(n % 700) } });
      process.stdout.write(`${obj.metadata.name} ${obj.metadata.resourceVersion ?? ''}\n`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, writer));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
