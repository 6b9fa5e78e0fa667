/** A Context for calling handlers in-process: no network unless a client is supplied, stderr captured. */
import type { ApiClient } from '../../src/cli/client.js';
import type { Context } from '../../src/cli/context.js';
import type { OutputFormat } from '../../src/cli/output.js';

export interface FakeContext extends Context {
  readonly logged: string[];
  readonly clientCalls: number;
}

export function fakeContext(opts: { format?: OutputFormat; stdin?: string; client?: ApiClient } = {}): FakeContext {
  const logged: string[] = [];
  let clientCalls = 0;
  const format = opts.format ?? 'table';
  return {
    globals: { output: format, debug: false },
    format,
    connection: () => ({ server: 'http://fake', token: undefined }),
    client: () => {
      clientCalls++;
      if (!opts.client) throw new Error('this test must not reach the server');
      return opts.client;
    },
    configPath: '/nonexistent/config.json',
    savedConfig: () => ({}),
    log: (line) => void logged.push(line),
    readStdin: async () => opts.stdin ?? '',
    env: {},
    now: () => Date.now(),
    sleep: async () => undefined,
    logged,
    get clientCalls() {
      return clientCalls;
    },
  };
}
