/**
 * Writes HA's verdict on a host as its `HaState` condition (vSphere's "vSphere HA State"):
 * True/Alive, Unknown/Isolated ("VMs keep running"), False/Dead, with the silence that led to it.
 * A host never judged otherwise carries no condition (no write per host at start).
 */
import { getCondition, setCondition, type Host } from '../../api/index.js';
import type { Clock } from '../../clock/index.js';
import type { Informer, Reconciler } from '../../controllers/index.js';
import type { Store } from '../../store/index.js';
import type { HostHealthTracker } from './host-health.js';

export const HA_STATE_CONDITION = 'HaState';

const STATUS = { alive: 'True', isolated: 'Unknown', dead: 'False' } as const;
const REASON = { alive: 'Alive', isolated: 'Isolated', dead: 'Dead' } as const;

export class HostConditionController implements Reconciler {
  readonly name = 'ha-host-state';

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly hosts: Informer<Host>,
    private readonly health: HostHealthTracker,
  ) {}

  async reconcile(name: string): Promise<void> {
    const host = this.hosts.get(name);
    if (!host) return;
    const state = this.health.state(name);
    const prev = getCondition(host.status?.conditions, HA_STATE_CONDITION);
    if (prev === undefined && state === 'alive') return;
    const message = this.health.assessment(name)?.reason ?? 'network heartbeats arrive';
    if (prev?.reason === REASON[state] && prev.message === message) return;
    const conditions = setCondition(host.status?.conditions, { type: HA_STATE_CONDITION, status: STATUS[state], reason: REASON[state], message }, new Date(this.clock.now()).toISOString());
    await this.store.update({ ...host, status: { ...host.status, conditions } }, { subresource: 'status' });
  }
}
