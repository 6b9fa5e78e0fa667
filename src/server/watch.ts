/**
 * `?watch=true`: streams newline-delimited JSON events `{type, object}` for one kind, filtered to
 * what the caller may see. Without resourceVersion it first sends the current objects as ADDED,
 * then changes; with one, every change after it (410 Gone if that revision was compacted away).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KindDef, Resource } from '../api/index.js';
import { matchesSelector, parseLabelSelector, type Watch } from '../store/index.js';
import type { ServerContext } from './context.js';
import { toStatus } from './status.js';

export async function streamWatch(
  ctx: ServerContext,
  req: FastifyRequest,
  reply: FastifyReply,
  def: KindDef,
  fromRevision: number | undefined,
  visible: (o: Resource) => boolean,
  labelSelector: string | undefined,
): Promise<FastifyReply> {
  const selector = labelSelector ? parseLabelSelector(labelSelector) : undefined;
  const wanted = (o: Resource) => visible(o) && (!selector || matchesSelector(o.metadata.labels ?? {}, selector));
  let initial: Resource[] = [];
  let from = fromRevision;
  if (from === undefined) {
    const list = await ctx.store.list(def.kind);
    initial = list.items.filter(wanted);
    from = list.revision;
  }
  let open = true;
  let watch: Watch | undefined;
  const write = (line: string) => {
    if (!open) return;
    reply.raw.write(line);
  };
  // Subscribe before sending headers so a GoneError still becomes a proper 410 response.
  watch = await ctx.store.watch(
    { kind: def.kind, fromRevision: from },
    {
      onEvent: (e) => {
        if (!wanted(e.object)) return;
        write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
      },
      onError: (err) => {
        write(`${JSON.stringify({ type: 'ERROR', object: toStatus(err, ctx.options.bodyLimitBytes).body })}\n`);
        close();
      },
    },
  );
  const close = () => {
    if (!open) return;
    open = false;
    watch?.close();
    watch = undefined;
    reply.raw.end();
  };
  reply.hijack();
  reply.raw.writeHead(200, { 'content-type': 'application/json; stream=watch', 'cache-control': 'no-cache' });
  reply.raw.flushHeaders();
  for (const o of initial) write(`${JSON.stringify({ type: 'ADDED', object: o })}\n`);
  req.raw.on('close', close);
  reply.raw.on('close', close);
  return reply;
}
