/**
 * The Context a handler runs with: the effective output format, the API client for the resolved
 * server and token, stderr for chatter and progress, stdin, and the clock. Handlers reach the
 * outside world only through it, so tests can hand them a fake.
 */
import { ApiClient } from './client.js';
import { configPath, loadConfig, resolveConnection, type Connection, type SavedConfig } from './config.js';
import type { OutputFormat } from './output.js';

/** The global flags, already validated. */
export interface GlobalOptions {
  readonly server?: string;
  readonly token?: string;
  /** `-c`: the cluster workload kinds are read from and written to. */
  readonly cluster?: string;
  readonly output: OutputFormat;
  readonly debug: boolean;
}

export interface Context {
  readonly globals: GlobalOptions;
  readonly format: OutputFormat;
  /** Server URL and token after flag, env and saved config were considered. */
  connection(): Connection;
  /** A client for connection(); `timeoutMs` overrides the default 30 s. */
  client(opts?: { timeoutMs?: number; anonymous?: boolean }): ApiClient;
  readonly configPath: string;
  savedConfig(): SavedConfig;
  /** A line of chatter or progress on stderr (never on stdout). */
  log(line: string): void;
  readStdin(): Promise<string>;
  readonly env: NodeJS.ProcessEnv;
  now(): number;
  sleep(ms: number): Promise<void>;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}

/** The real context over process streams and environment. */
export function createContext(globals: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Context {
  const path = configPath(env);
  let saved: SavedConfig | undefined;
  const savedConfig = (): SavedConfig => (saved ??= loadConfig(path));
  let conn: Connection | undefined;
  const connection = (): Connection => (conn ??= resolveConnection(globals, env, savedConfig()));
  return {
    globals,
    format: globals.output,
    connection,
    client: (opts) => {
      const c = connection();
      return new ApiClient({ baseUrl: c.server, token: opts?.anonymous ? undefined : c.token, timeoutMs: opts?.timeoutMs });
    },
    configPath: path,
    savedConfig,
    log: (line) => process.stderr.write(`${line}\n`),
    readStdin: () => readAll(process.stdin),
    env,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
