/**
 * Runs every benchmark in sequence, each in its own Node process (so one's heap and JIT state do
 * not colour the next), forwarding the arguments after `--` to each and stopping at the first
 * failure. `npm run bench` builds and runs this; placement is included when it has been built.
 *
 *   npm run bench [-- --runs 3]
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { note } from './bench-util.js';

const BENCHES = ['api-create', 'watch-latency', 'rss', 'placement', 'netpol', 'entitlement', 'drs', 'ha', 'sim-day', 'registry'] as const;

function run(script: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [script, ...args], { stdio: 'inherit' });
    c.on('error', reject);
    c.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const dash = process.argv.indexOf('--');
  const args = dash >= 0 ? process.argv.slice(dash + 1) : process.argv.slice(2);
  for (const name of BENCHES) {
    const script = join(here, `${name}.js`);
    if (!existsSync(script)) {
      note(`run-all: ${name} not built, skipped`);
      continue;
    }
    note(`\n=== ${name} ===`);
    const t0 = performance.now();
    const code = await run(script, args);
    note(`=== ${name}: ${code === 0 ? 'done' : `failed (exit ${code})`} in ${((performance.now() - t0) / 1000).toFixed(0)} s ===`);
    if (code !== 0) process.exit(code);
  }
}

await main();
