/**
 * Records Events against a cluster. Same object, reason and message: one Event whose count and
 * lastTimestamp grow (Kubernetes' aggregation), so a repeating warning does not flood the store.
 */
import { createHash } from 'node:crypto';
import { API_VERSION, type Cluster, type ClusterEvent, type EventType } from '../../api/index.js';
import type { Clock } from '../../clock/index.js';
import type { Store } from '../../store/index.js';
import { CLUSTER_LABEL } from './nodes.js';

export class EventRecorder {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onError: (err: Error) => void = () => {},
  ) {}

  /** Records one occurrence; never throws (an event is worth less than the action it reports). */
  async record(cluster: Cluster, type: EventType, reason: string, message: string): Promise<void> {
    const digest = createHash('sha256').update(`${cluster.metadata.uid ?? ''}|${reason}|${message}`).digest('hex').slice(0, 10);
    const name = `${cluster.metadata.name}-${digest}`;
    const now = new Date(this.clock.now()).toISOString();
    try {
      const old = await this.store.tryGet<ClusterEvent>('Event', '', name);
      if (old?.spec) {
        await this.store.update({ ...old, spec: { ...old.spec, count: old.spec.count + 1, lastTimestamp: now } });
        return;
      }
      await this.store.create<ClusterEvent>({
        apiVersion: API_VERSION,
        kind: 'Event',
        metadata: { name, labels: { [CLUSTER_LABEL]: cluster.metadata.name } },
        spec: {
          ...(cluster.spec?.tenant ? { tenant: cluster.spec.tenant } : {}),
          involvedObject: { kind: 'Cluster', name: cluster.metadata.name, ...(cluster.metadata.uid ? { uid: cluster.metadata.uid } : {}) },
          reason,
          message,
          type,
          count: 1,
          firstTimestamp: now,
          lastTimestamp: now,
        },
      });
    } catch (err) {
      this.onError(err as Error);
    }
  }
}
