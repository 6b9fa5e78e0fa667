/**
 * `bulkhead cluster show NAME` (PKS `tkgi cluster NAME`): the last action and its state, the
 * version, the conditions, a table of nodes (VM, host, health, version) and the recent events.
 */
import type { Cluster, ClusterEvent } from '../../api/index.js';
import { formatTable } from '../table.js';
import { defineCommand } from '../spec.js';

const RECENT_EVENTS = 20;

export function renderCluster(c: Cluster, events: readonly ClusterEvent[]): string[] {
  const s = c.status;
  const a = s?.lastAction;
  const lines = [
    `Name:                    ${c.metadata.name}`,
    `Tenant:                  ${c.spec?.tenant ?? ''}`,
    `Plan:                    ${c.spec?.plan ?? ''}`,
    `UUID:                    ${c.metadata.uid ?? ''}`,
    `Kubernetes Version:      ${s?.kubernetesVersion ?? '<none>'}${c.spec?.kubernetesVersion && c.spec.kubernetesVersion !== s?.kubernetesVersion ? ` (wanted ${c.spec.kubernetesVersion})` : ''}`,
    `Stemcell:                ${s?.stemcell ?? c.spec?.stemcell ?? ''}`,
    `Worker Instances:        ${c.spec?.workers ?? ''} (${s?.workersReady ?? '0/0'} ready)`,
    `Last Action:             ${a?.type ?? '<none>'}`,
    `Last Action State:       ${a?.state ?? ''}`,
    `Last Action Description: ${a?.description ?? ''}`,
    '',
    'Conditions:',
    ...(s?.conditions ?? []).map((x) => `  ${x.type}=${x.status} (${x.reason}) ${x.message}`),
    '',
    'Nodes:',
  ];
  const nodes = (s?.nodes ?? []).map((n) => [n.name, n.role, n.host ?? '<none>', n.phase ?? '', n.health, n.version ?? '', n.diskId ?? '']);
  lines.push(...formatTable(['NODE', 'ROLE', 'HOST', 'PHASE', 'HEALTH', 'VERSION', 'DISK'], nodes).trimEnd().split('\n').map((l) => `  ${l}`));
  lines.push('', 'Events:');
  const recent = [...events].sort((x, y) => (y.spec?.lastTimestamp ?? '').localeCompare(x.spec?.lastTimestamp ?? '')).slice(0, RECENT_EVENTS).reverse();
  if (!recent.length) lines.push('  <none>');
  else lines.push(...formatTable(['LAST-SEEN', 'TYPE', 'REASON', 'COUNT', 'MESSAGE'], recent.map((e) => [e.spec?.lastTimestamp ?? '', e.spec?.type ?? '', e.spec?.reason ?? '', String(e.spec?.count ?? 1), e.spec?.message ?? ''])).trimEnd().split('\n').map((l) => `  ${l}`));
  return lines;
}

export const clusterShowCommand = defineCommand<{ name: string }>({
  name: 'show',
  description: 'Show a cluster: last action, nodes and their health, recent events',
  args: [{ name: 'name', description: 'cluster name', required: true }],
  examples: ['bulkhead cluster show web', 'bulkhead cluster show web -o json'],
  parse: ({ args }) => ({ name: args[0] ?? '' }),
  run: async (ctx, { name }) => {
    const client = ctx.client();
    const c = await client.get<Cluster>('clusters', name);
    const events = (await client.listAll<ClusterEvent>('events', { labelSelector: `bulkhead.dev/cluster=${name}` })).items.filter(
      (e) => !e.spec?.involvedObject.uid || e.spec.involvedObject.uid === c.metadata.uid,
    );
    return { type: 'message', lines: renderCluster(c, events), data: { cluster: c, events }, names: [`cluster/${name}`] };
  },
});
