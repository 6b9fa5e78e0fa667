/**
 * `--wait` for cluster commands: polls the cluster until the action a command started has
 * finished, printing its state, description and ready nodes on stderr as they change.
 */
import type { Cluster } from '../../api/index.js';
import type { Context } from '../context.js';
import { UserError } from '../errors.js';
import { pollUntil } from '../wait.js';

/** One progress line: action, state, description, nodes ready. */
export function clusterProgress(c: Cluster): string {
  const a = c.status?.lastAction;
  const nodes = c.status?.nodes ?? [];
  const ready = nodes.filter((n) => n.health === 'Healthy').length;
  return `${a ? `${a.type} ${a.state}: ${a.description}` : 'waiting for the controller'} (nodes ready ${ready}/${nodes.length})`;
}

/** Waits until the action started at `generation` has finished; fails with its description. */
export async function waitForAction(ctx: Context, name: string, generation: number, timeoutMs: number): Promise<Cluster> {
  const client = ctx.client();
  let last = '';
  return pollUntil(ctx, `cluster/${name}`, timeoutMs, () => client.get<Cluster>('clusters', name), (c) => {
    if (!c) throw new UserError(`cluster/${name} was deleted while waiting for it`);
    const line = clusterProgress(c);
    if (line !== last) ctx.log(`cluster/${name}: ${line}`);
    last = line;
    const a = c.status?.lastAction;
    if ((c.status?.observedGeneration ?? 0) < generation || !a || a.state === 'in progress') return undefined;
    if (a.state === 'failed') throw new UserError(`cluster/${name}: ${a.type} failed: ${a.description}`);
    return c;
  });
}

/** Waits until the cluster is gone. */
export async function waitForDeletion(ctx: Context, name: string, timeoutMs: number): Promise<void> {
  const client = ctx.client();
  let last = '';
  await pollUntil(ctx, `cluster/${name} to be deleted`, timeoutMs, () => client.get<Cluster>('clusters', name), (c) => {
    if (!c) return true;
    const line = clusterProgress(c);
    if (line !== last) ctx.log(`cluster/${name}: ${line}`);
    last = line;
    return undefined;
  });
}
