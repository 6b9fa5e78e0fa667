/** `bulkhead version [--client]`: the client's version and, when it answers within 300 ms, the server's. */
import { ConnectionError } from '../client.js';
import { defineCommand } from '../spec.js';
import { clientVersion } from '../version.js';

/** GET /version. */
export interface ServerVersion {
  readonly version: string;
  readonly apiVersion: string;
}

/** How long `version` waits for the server before reporting the client alone. */
export const SERVER_VERSION_TIMEOUT_MS = 300;

export const versionCommand = defineCommand<{ clientOnly: boolean }>({
  name: 'version',
  description: 'Print the client version and, if reachable, the server version',
  options: [{ flags: '--client', description: 'client version only (no network)' }],
  examples: ['bulkhead version', 'bulkhead version --client -o json'],
  parse: ({ opts }) => ({ clientOnly: opts.client === true }),
  run: async (ctx, { clientOnly }) => {
    const client = clientVersion();
    if (clientOnly) return { type: 'message', lines: [`client: ${client}`], data: { client: { version: client } }, names: [client] };
    const api = ctx.client({ anonymous: true, timeoutMs: SERVER_VERSION_TIMEOUT_MS });
    let server: ServerVersion | undefined;
    try {
      server = await api.request<ServerVersion>('GET', '/version');
    } catch (e) {
      if (e instanceof ConnectionError) ctx.log(`server: not reachable at ${api.baseUrl}`);
      else ctx.log(`server: ${api.baseUrl} answered: ${e instanceof Error ? e.message : String(e)}`);
    }
    const lines = [`client: ${client}`];
    if (server) lines.push(`server: ${server.version} (${server.apiVersion}) at ${api.baseUrl}`);
    return { type: 'message', lines, data: { client: { version: client }, ...(server ? { server } : {}) }, names: [client] };
  },
});
