// `bulkhead sim run` from the real CLI (dist): the shipped compare example writes its report and
// prints the verdict; bad input is one line and exit 1; the simulation stays out of other commands.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../cli/spawn-cli.js';

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'bulkhead-sim-cli-'));
  env = { BULKHEAD_CONFIG: join(dir, 'none.json') };
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bulkhead sim run', () => {
  it('runs the compare example, writes report.json, report.md and SVG plots, and prints the verdict', async () => {
    const out = join(dir, 'report');
    const r = await runCli(['sim', 'run', 'examples/noisy-neighbour.yaml', '--compare', 'bare-metal', '--out', out], { env });
    expect(r.stderr).toContain('noisy-neighbour: 6 h of virtual time, containers on VMs and bare metal');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^METRIC\s+CONTAINERS ON VMS\s+BARE METAL\s+BETTER$/);
    expect(r.stdout).toMatch(/Hosts needed \(incl\. one failover\/spare host per zone\)\s+4\s+7\s+containers on VMs/);
    expect(r.stdout).toMatch(/Noisy neighbour at the container boundary.*\s+bare metal$/m);

    const files = (await readdir(out)).sort();
    expect(files).toEqual(['bare-metal-cpu-ready.svg', 'bare-metal-utilization.svg', 'compare-utilization.svg', 'report.json', 'report.md', 'vm-cpu-ready.svg', 'vm-drs-imbalance.svg', 'vm-utilization.svg']);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as { kind: string; designs: { design: string }[]; verdict: { metric: string; winner: string }[] };
    expect(report.kind).toBe('SimulationReport');
    expect(report.designs.map((d) => d.design)).toEqual(['vm', 'bare-metal']);
    expect(report.verdict.length).toBeGreaterThan(5);
    const md = await readFile(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Verdict: containers on VMs vs bare metal');
    expect(md).toContain('![Cluster CPU use over the hosts each design needs](compare-utilization.svg)');
    for (const f of files.filter((x) => x.endsWith('.svg'))) expect((await readFile(join(out, f), 'utf8')).startsWith('<svg ')).toBe(true);
  }, 60_000);

  it('prints the design figures without --compare, and JSON with -o json', async () => {
    const r = await runCli(['sim', 'run', 'examples/host-failure.yaml', '--out', join(dir, 'single')], { env });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^FIGURE\s+CONTAINERS ON VMS$/);
    expect(r.stdout).toMatch(/all lost pods running again, mean \/ worst failure\s+\d/);

    const j = await runCli(['sim', 'run', 'examples/host-failure.yaml', '--compare', 'bare-metal', '--out', join(dir, 'json'), '-o', 'json'], { env });
    expect(j.code).toBe(0);
    const data = JSON.parse(j.stdout) as { verdict: { metric: string; winner: string }[]; summaries: { design: string }[] };
    expect(data.summaries.map((s) => s.design)).toEqual(['vm', 'bare-metal']);
    expect(data.verdict.find((v) => v.metric.startsWith('Recovery after'))?.winner).toBe('containers on VMs');
  }, 60_000);

  it('names the field of a bad scenario in one line and exits 1', async () => {
    const text = (await readFile('examples/host-failure.yaml', 'utf8')).replace('replicas: 8', 'replicas: -8');
    const file = join(dir, 'bad.yaml');
    await writeFile(file, text);
    const r = await runCli(['sim', 'run', file, '--out', join(dir, 'bad')], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: Scenario ".*bad\.yaml" is invalid: spec\.workloads\[0\]\.replicas: /);
  }, 30_000);

  it.each([
    [['sim', 'run', 'no-such-file.yaml'], /^error: cannot read scenario file no-such-file\.yaml/],
    [['sim', 'run', 'examples/host-failure.yaml', '--compare', 'mainframe'], /mainframe/],
    [['sim', 'run', 'examples/host-failure.yaml', '--seed', 'x'], /^error: --seed must be a whole number/],
  ])('%j: one line, exit 1', async (args, message) => {
    const r = await runCli(args, { env });
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  }, 30_000);

  it('is not loaded by other commands', async () => {
    const log = join(dir, 'loaded.txt');
    await writeFile(
      join(dir, 'hooks.mjs'),
      `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const r = await next(specifier, context);\n  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');\n  return r;\n}\n`,
    );
    await writeFile(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
    const r = await runCli(['version', '--client'], { env, nodeArgs: ['--import', join(dir, 'register.mjs')] });
    expect(r.code).toBe(0);
    const loaded = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
    expect(loaded.some((u) => u.endsWith('/dist/src/cli/commands/sim/run.js'))).toBe(true);
    expect(loaded.filter((u) => /\/dist\/src\/(simulation|resources|drs|ha|infra)\//.test(u))).toEqual([]);
  }, 30_000);
});
