/**
 * Running the real skopeo (Debian package; CI installs it) from tests, with HOME and the XDG
 * directories inside the test's own folder so its config, blob cache and auth files stay there.
 */
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function hasSkopeo(): boolean {
  try {
    execFileSync('skopeo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface SkopeoResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `skopeo --command-timeout 60s ...args` with its state under `work`. */
export function runSkopeo(work: string, args: readonly string[]): Promise<SkopeoResult> {
  const env = { ...process.env, HOME: work, XDG_DATA_HOME: join(work, 'xdg-data'), XDG_CONFIG_HOME: join(work, 'xdg-config'), XDG_RUNTIME_DIR: join(work, 'xdg-run'), TMPDIR: join(work, 'tmp') };
  return new Promise((resolve) => {
    execFile('skopeo', ['--command-timeout', '60s', ...args], { env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
