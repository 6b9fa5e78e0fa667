/**
 * Runs executions: at most one per policy (a slot here, and the status claim in ExecutionLog
 * across servers), in the background, with a heartbeat while running, progress written to the
 * policy's status, and one audit entry (verb `replicate`) when it ends. Pushes that arrive while a
 * policy is busy are queued and replicated together by the next execution.
 *
 *   start(policy) ─▶ claim (status CAS) ─▶ sides: local ⇄ OciClient(remote, credentials)
 *                ─▶ execute(plan → tasks with retries) ─▶ final status + audit ─▶ queued events?
 */
import { ConflictError, UnavailableError } from '../../api/index.js';
import type { ReplicationExecution, ReplicationPolicy, ReplicationTriggerType } from '../../api/kinds/replication.js';
import type { Clock, TimerHandle } from '../../clock/index.js';
import type { AuditRecord, Store } from '../../store/index.js';
import type { BlobStore } from '../blob-store.js';
import type { ManifestDeleted, ManifestPushed, RegistryEvents } from '../events.js';
import type { RegistryMetadata } from '../metadata.js';
import type { BackgroundScanner } from '../scan/reports.js';
import type { CredentialStore } from './credential-store.js';
import type { RegistryEndpoint } from './endpoint.js';
import { ReplicationConfigError, describeCause } from './errors.js';
import { execute, type ExecutionProgress } from './execute.js';
import { ExecutionLog, POLICY_KIND } from './execution-log.js';
import { LocalEndpoint } from './local-endpoint.js';
import { OciClient } from './oci-client.js';
import type { RegistryCredentials } from './oci-auth.js';
import type { ReplicationWork } from './plan.js';

/** Who scheduled and event-triggered executions run as. */
export const SYSTEM_USER = 'system:replication';

export interface ReplicatorOptions {
  /** Tries per artifact (default 3). */
  readonly attempts?: number;
  /** First retry delay in platform-clock ms (default 1000; then ×4). */
  readonly backoffMs?: number;
  /** Blobs above this go in PATCH chunks (default 10 MB). */
  readonly chunkBytes?: number;
  /** Least platform-clock time between two progress writes (default 2000). */
  readonly progressEveryMs?: number;
  /** Heartbeat of a running execution (default 60 000). */
  readonly heartbeatMs?: number;
}

export interface ReplicatorDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly blobs: BlobStore;
  readonly meta: RegistryMetadata;
  readonly events?: RegistryEvents;
  readonly scanner?: BackgroundScanner;
  readonly credentials: CredentialStore;
  readonly audit: (rec: AuditRecord) => void;
  readonly warn: (obj: object, msg: string) => void;
}

interface Slot {
  readonly controller: AbortController;
  readonly done: Promise<void>;
  id?: string;
}

/** Platform-clock wait before retrying queued events when another server holds the policy. */
const REQUEUE_MS = 30_000;

const counts = (p: ExecutionProgress) => ({ total: p.total, copied: p.copied, skipped: p.skipped, failed: p.failed, deleted: p.deleted, errors: [...p.errors] });

export class Replicator {
  readonly executions: ExecutionLog;
  private readonly slots = new Map<string, Slot>();
  private readonly queued = new Map<string, { pushed: ManifestPushed[]; deleted: ManifestDeleted[] }>();
  private readonly requeue = new Map<string, TimerHandle>();
  private closed = false;
  private readonly o: Required<ReplicatorOptions>;

  constructor(
    private readonly deps: ReplicatorDeps,
    opts: ReplicatorOptions = {},
  ) {
    this.executions = new ExecutionLog(deps.store, deps.clock);
    this.o = { attempts: 3, backoffMs: 1000, chunkBytes: 10 * 1024 * 1024, progressEveryMs: 2000, heartbeatMs: 60_000, ...opts };
  }

  /** The id of the execution this server is running for `policy`, if any. */
  running(policy: string): string | undefined {
    return this.slots.get(policy)?.id;
  }

  /**
   * Starts an execution in the background and returns it (state Running). ConflictError while
   * one is active or the policy is disabled; NotFoundError without the policy.
   */
  async start(policy: string, trigger: ReplicationTriggerType, user: string, work: ReplicationWork = { kind: 'all' }): Promise<ReplicationExecution> {
    if (this.closed) throw new UnavailableError('the registry is shutting down');
    const busy = this.slots.get(policy);
    if (busy) throw new ConflictError(`replication policy "${policy}" is already running${busy.id ? ` execution ${busy.id}` : ''}`);
    let release: () => void = () => undefined;
    const slot: Slot = { controller: new AbortController(), done: new Promise<void>((r) => (release = r)) };
    // Taken before the first await, so concurrent starts in this process see it.
    this.slots.set(policy, slot);
    let obj: ReplicationPolicy;
    let exec: ReplicationExecution;
    try {
      obj = await this.deps.store.get<ReplicationPolicy>(POLICY_KIND, '', policy);
      if (obj.spec?.enabled === false) throw new ConflictError(`replication policy "${policy}" is disabled (spec.enabled: false)`);
      exec = await this.executions.claim(policy, trigger, user);
    } catch (err) {
      this.slots.delete(policy);
      release();
      throw err;
    }
    slot.id = exec.id;
    void this.run(obj, exec, work, slot.controller.signal).finally(() => {
      this.slots.delete(policy);
      release();
      this.drainQueue(policy);
    });
    return exec;
  }

  /** Queues pushes/deletes for an onPush policy; replicated now if it is idle, else after the current run. */
  enqueue(policy: string, ev: { pushed?: ManifestPushed; deleted?: ManifestDeleted }): void {
    const q = this.queued.get(policy) ?? { pushed: [], deleted: [] };
    if (ev.pushed) q.pushed.push(ev.pushed);
    if (ev.deleted) q.deleted.push(ev.deleted);
    this.queued.set(policy, q);
    if (!this.slots.has(policy) && !this.requeue.has(policy)) this.drainQueue(policy);
  }

  private drainQueue(policy: string): void {
    const q = this.queued.get(policy);
    if (this.closed || !q) return;
    this.queued.delete(policy);
    this.start(policy, 'onPush', SYSTEM_USER, { kind: 'events', ...q }).catch((err: unknown) => {
      if (!(err instanceof ConflictError) || this.closed) return this.deps.warn({ err, policy }, 'replication on push could not start');
      // Another server runs this policy, or it was disabled meanwhile: keep the events and look again later.
      const back = this.queued.get(policy) ?? { pushed: [], deleted: [] };
      this.queued.set(policy, { pushed: [...q.pushed, ...back.pushed], deleted: [...q.deleted, ...back.deleted] });
      if (this.requeue.has(policy)) return;
      this.requeue.set(
        policy,
        this.deps.clock.setTimeout(() => {
          this.requeue.delete(policy);
          if (!this.slots.has(policy)) this.drainQueue(policy);
        }, REQUEUE_MS),
      );
    });
  }

  private async credentialsOf(obj: ReplicationPolicy): Promise<RegistryCredentials | undefined> {
    const c = obj.spec?.remote.credentials;
    if (c?.secretRef !== undefined) {
      const found = await this.deps.credentials.get(c.secretRef);
      if (!found) throw new ReplicationConfigError(`replication credential "${c.secretRef}" does not exist (PUT /registry/v1/replication-credentials/${c.secretRef})`);
      return found;
    }
    return c?.username !== undefined && c.password !== undefined ? { username: c.username, password: c.password } : undefined;
  }

  /** [source, destination] for the policy's direction. */
  private async sides(obj: ReplicationPolicy, signal: AbortSignal): Promise<[RegistryEndpoint, RegistryEndpoint]> {
    const spec = obj.spec;
    if (!spec) throw new ReplicationConfigError('the policy has no spec');
    if (!(await this.deps.meta.project(spec.project))) throw new ReplicationConfigError(`project "${spec.project}" does not exist`);
    const { blobs, meta, store, events, scanner } = this.deps;
    const local = new LocalEndpoint({ blobs, meta, store, ...(events ? { events } : {}), ...(scanner ? { scanner } : {}), user: `${SYSTEM_USER}:${obj.metadata.name}` });
    const credentials = await this.credentialsOf(obj);
    const remote = new OciClient({ url: spec.remote.url, ...(credentials ? { credentials } : {}), ...(spec.remote.insecure ? { insecure: true } : {}), chunkBytes: this.o.chunkBytes, signal });
    return spec.direction === 'push' ? [local, remote] : [remote, local];
  }

  private async run(obj: ReplicationPolicy, exec: ReplicationExecution, work: ReplicationWork, signal: AbortSignal): Promise<void> {
    const policy = obj.metadata.name;
    const { clock } = this.deps;
    let last = exec;
    let lastWrite = clock.now();
    const save = async (next: ReplicationExecution) => {
      last = next;
      lastWrite = clock.now();
      // The policy was deleted (or its history replaced): nobody can see this execution, stop it.
      if (!(await this.executions.save(policy, next))) this.slots.get(policy)?.controller.abort(new Error('the policy was deleted'));
    };
    let beat: TimerHandle | undefined;
    const heartbeat = () => {
      beat = clock.setTimeout(() => {
        void save(last).catch(() => undefined).finally(() => !signal.aborted && heartbeat());
      }, this.o.heartbeatMs);
    };
    heartbeat();
    const iso = () => new Date(clock.now()).toISOString();
    let final: ReplicationExecution;
    try {
      const spec = obj.spec;
      if (!spec) throw new ReplicationConfigError('the policy has no spec');
      const [src, dst] = await this.sides(obj, signal);
      const p = await execute(spec, work, src, dst, {
        attempts: this.o.attempts,
        backoffMs: this.o.backoffMs,
        sleep: (ms) => clock.sleep(ms),
        signal,
        onProgress: async (prog) => {
          if (clock.now() - lastWrite >= this.o.progressEveryMs) await save({ ...last, ...counts(prog) });
          else last = { ...last, ...counts(prog) };
        },
      });
      const failed = p.failed > 0 || p.message !== undefined;
      const summary = `${p.copied} copied, ${p.skipped} up to date, ${p.deleted} deleted, ${p.failed} failed of ${p.total}`;
      final = { ...last, ...counts(p), state: failed ? 'Failed' : 'Succeeded', endTime: iso(), message: p.message ?? summary };
    } catch (err) {
      const why = signal.aborted ? describeCause(signal.reason) : err instanceof Error ? err.message : String(err);
      final = signal.aborted ? { ...last, state: 'Stopped', endTime: iso(), message: `stopped: ${why}` } : { ...last, state: 'Failed', endTime: iso(), message: why };
    } finally {
      if (beat) clock.clearTimeout(beat);
    }
    await save(final).catch((err: unknown) => this.deps.warn({ err, policy }, 'could not record the end of a replication execution'));
    const tenant = (await this.deps.meta.project(obj.spec?.project ?? '').catch(() => undefined))?.spec?.tenant;
    this.deps.audit({
      time: iso(),
      user: final.user,
      verb: 'replicate',
      resource: 'replicationpolicies',
      name: `${policy}/${final.id}`,
      ...(tenant ? { tenant } : {}),
      decision: 'allow',
      code: final.state === 'Succeeded' ? 200 : final.state === 'Stopped' ? 503 : 500,
      ...(final.message ? { reason: `${final.state}: ${final.message}` } : {}),
    });
  }

  /** Stops timers and running executions (recorded as Stopped) and waits for them. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.requeue.values()) this.deps.clock.clearTimeout(t);
    this.requeue.clear();
    const slots = [...this.slots.values()];
    for (const s of slots) s.controller.abort(new Error('the server is shutting down'));
    await Promise.all(slots.map((s) => s.done));
  }
}
