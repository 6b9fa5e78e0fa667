/**
 * `?watch=true` for workload kinds: newline-delimited `{type, object}` events of one kind in one
 * cluster (one namespace, or all of them), objects in their Kubernetes form. Without a
 * resourceVersion it first sends the current objects as ADDED.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Resource } from '../../api/index.js';
import type { RouteContext } from '../../platform/extension.js';
import { toStatus } from '../../server/index.js';
import { matchesSelector, parseLabelSelector, type Watch } from '../../store/index.js';
import { toApi } from './parse.js';

export async function streamWorkloadWatch(
  ctx: RouteContext,
  req: FastifyRequest,
  reply: FastifyReply,
  kind: string,
  inScope: (o: Resource) => boolean,
  fromRevision: number | undefined,
  labelSelector: string | undefined,
): Promise<FastifyReply> {
  const selector = labelSelector ? parseLabelSelector(labelSelector) : undefined;
  const wanted = (o: Resource) => inScope(o) && (!selector || matchesSelector(o.metadata.labels ?? {}, selector));
  let initial: Resource[] = [];
  let from = fromRevision;
  if (from === undefined) {
    const list = await ctx.store.list(kind);
    initial = list.items.filter(wanted);
    from = list.revision;
  }
  let open = true;
  let watch: Watch | undefined = undefined;
  const write = (line: string) => {
    if (open) reply.raw.write(line);
  };
  const close = () => {
    if (!open) return;
    open = false;
    watch?.close();
    reply.raw.end();
  };
  const w = await ctx.store.watch(
    { kind, fromRevision: from },
    {
      onEvent: (e) => {
        if (wanted(e.object)) write(`${JSON.stringify({ type: e.type, object: toApi(e.object) })}\n`);
      },
      onError: (err) => {
        write(`${JSON.stringify({ type: 'ERROR', object: toStatus(err, ctx.options.bodyLimitBytes).body })}\n`);
        close();
      },
    },
  );
  watch = w;
  if (!open) w.close();
  reply.hijack();
  reply.raw.writeHead(200, { 'content-type': 'application/json; stream=watch', 'cache-control': 'no-cache' });
  reply.raw.flushHeaders();
  for (const o of initial) write(`${JSON.stringify({ type: 'ADDED', object: toApi(o) })}\n`);
  req.raw.on('close', close);
  reply.raw.on('close', close);
  return reply;
}
