/**
 * What starts executions besides a user: pushes and deletes in a project (the registry's events,
 * for onPush policies; never slowing or failing the push: the listener only queues), and a
 * ticker on the platform clock for scheduled policies. A scheduled policy is due `everyMinutes`
 * after its last scheduled start (or its creation); a tick that finds it running skips it.
 */
import { ConflictError } from '../../api/index.js';
import type { ReplicationPolicy } from '../../api/kinds/replication.js';
import type { Clock, TimerHandle } from '../../clock/index.js';
import type { Store } from '../../store/index.js';
import type { ManifestDeleted, ManifestPushed, RegistryEvents } from '../events.js';
import { POLICY_KIND } from './execution-log.js';
import { SYSTEM_USER, type Replicator } from './replicator.js';

export interface TriggerDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly events: RegistryEvents;
  readonly replicator: Replicator;
  readonly warn: (obj: object, msg: string) => void;
}

/** How often the scheduler looks at scheduled policies (platform clock). */
export const SCHEDULER_TICK_MS = 60_000;

const enabled = (p: ReplicationPolicy) => p.spec !== undefined && p.spec.enabled !== false;

/** The onPush push policies of `project`. */
async function onPushPolicies(store: Store, project: string): Promise<ReplicationPolicy[]> {
  const all = await store.list<ReplicationPolicy>(POLICY_KIND);
  return all.items.filter((p) => enabled(p) && p.spec?.direction === 'push' && p.spec.trigger.type === 'onPush' && p.spec.project === project);
}

/** Starts the event listeners and the scheduler; the returned function stops both. */
export function startTriggers(deps: TriggerDeps, tickMs = SCHEDULER_TICK_MS): () => void {
  const { store, clock, events, replicator, warn } = deps;
  let stopped = false;

  const pushed = (ev: ManifestPushed) => {
    void onPushPolicies(store, ev.repo.project)
      .then((ps) => ps.forEach((p) => replicator.enqueue(p.metadata.name, { pushed: ev })))
      .catch((err: unknown) => warn({ err, repo: ev.repo.full }, 'replication on push: could not read policies'));
  };
  const deleted = (ev: ManifestDeleted) => {
    void onPushPolicies(store, ev.repo.project)
      .then((ps) => ps.filter((p) => p.spec?.deletion).forEach((p) => replicator.enqueue(p.metadata.name, { deleted: ev })))
      .catch((err: unknown) => warn({ err, repo: ev.repo.full }, 'replication of a delete: could not read policies'));
  };
  events.on('pushed', pushed);
  events.on('deleted', deleted);

  /** Platform-clock ms of the last scheduled start this server made, per policy uid. */
  const started = new Map<string, number>();
  const tick = async () => {
    const now = clock.now();
    for (const p of (await store.list<ReplicationPolicy>(POLICY_KIND)).items) {
      const every = p.spec?.trigger.type === 'scheduled' ? (p.spec.trigger.everyMinutes ?? 0) * 60_000 : 0;
      if (!enabled(p) || every <= 0) continue;
      const name = p.metadata.name;
      const lastScheduled = p.status?.executions?.find((e) => e.trigger === 'scheduled')?.startTime;
      const since = Math.max(Date.parse(lastScheduled ?? p.metadata.creationTimestamp ?? '') || 0, started.get(p.metadata.uid ?? name) ?? 0);
      if (now - since < every || replicator.running(name)) continue;
      started.set(p.metadata.uid ?? name, now);
      // A conflict means it runs elsewhere (or was disabled meanwhile): this slot is skipped.
      await replicator.start(name, 'scheduled', SYSTEM_USER).catch((err: unknown) => {
        if (!(err instanceof ConflictError)) warn({ err, policy: name }, 'scheduled replication could not start');
      });
    }
  };
  let timer: TimerHandle | undefined;
  const loop = () => {
    timer = clock.setTimeout(() => {
      void tick()
        .catch((err: unknown) => warn({ err }, 'replication scheduler tick failed'))
        .finally(() => !stopped && loop());
    }, tickMs);
  };
  loop();

  return () => {
    stopped = true;
    if (timer) clock.clearTimeout(timer);
    events.off('pushed', pushed);
    events.off('deleted', deleted);
  };
}
