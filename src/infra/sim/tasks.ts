/**
 * Timed operations of the simulated datacenter, the way vCenter runs tasks: each takes a modeled
 * duration on the event queue, holds a lock on the VM and/or disk it changes (a second task on the
 * same object is refused as Busy, as vSphere refuses "another task is already in progress"), and
 * can be cancelled with an error (host failure, VM deletion, driver close), undoing its reservation.
 */
import type { Random } from '../../clock/index.js';
import { DriverError, type DriverErrorCode } from '../driver.js';
import type { EventQueue } from './event-queue.js';

/** Something a task can lock: a VM or a disk. */
export interface Lockable {
  op: Task | undefined;
}

/** A running or queued task. */
export interface Task {
  readonly kind: string;
  readonly target: string;
  readonly start: number;
  cancel(err: DriverError): void;
}

/** One finished task, kept in the driver's operation log (determinism checks, debugging). */
export interface SimOperation {
  readonly kind: string;
  readonly target: string;
  readonly start: number;
  readonly end: number;
  readonly outcome: 'ok' | DriverErrorCode;
}

export interface TaskSpec<T> {
  readonly kind: string;
  readonly target: string;
  /** Exact duration (already jittered, or modeled). */
  readonly ms: number;
  readonly locks?: readonly Lockable[];
  /** Applies the effect when the task completes; may throw a DriverError to fail it. */
  readonly done: () => T;
  /** Releases what the task reserved when it is cancelled or `done` throws. */
  readonly undo?: () => void;
}

export class TaskRunner {
  /** Tasks in flight, for close(). */
  readonly pending = new Set<Task>();

  constructor(
    private readonly queue: EventQueue,
    private readonly rng: Random,
    private readonly jitterFraction: number,
    private readonly log: (op: SimOperation) => void,
  ) {}

  /** A mean duration with the configured seeded jitter, in whole milliseconds. */
  jitter(meanMs: number): number {
    return Math.max(0, Math.round(this.rng.jitter(meanMs, this.jitterFraction)));
  }

  /** Throws Busy if any lock is held. */
  checkFree(locks: readonly Lockable[], what: string): void {
    for (const l of locks) if (l.op) throw busy(`${what}: another task (${l.op.kind}) is in progress`);
  }

  run<T>(spec: TaskSpec<T>): Promise<T> {
    const locks = spec.locks ?? [];
    this.checkFree(locks, `${spec.kind} ${spec.target}`);
    return new Promise<T>((resolve, reject) => {
      const start = this.queue.now();
      const finish = (outcome: SimOperation['outcome']): void => {
        for (const l of locks) if (l.op === task) l.op = undefined;
        this.pending.delete(task);
        this.log({ kind: spec.kind, target: spec.target, start, end: this.queue.now(), outcome });
      };
      const task: Task = {
        kind: spec.kind,
        target: spec.target,
        start,
        cancel: (err) => {
          this.queue.cancel(item);
          finish(err.driverCode);
          spec.undo?.();
          reject(err);
        },
      };
      const item = this.queue.after(spec.ms, () => {
        let value: T;
        try {
          value = spec.done();
        } catch (e) {
          finish(e instanceof DriverError ? e.driverCode : 'Internal');
          spec.undo?.();
          reject(e);
          return;
        }
        finish('ok');
        resolve(value);
      });
      for (const l of locks) l.op = task;
      this.pending.add(task);
    });
  }
}

export function notFound(what: string, id: string): DriverError {
  return new DriverError('NotFound', `${what} "${id}" not found`, false);
}

export function hostUnavailable(host: string, why = 'is not available'): DriverError {
  return new DriverError('HostUnavailable', `host "${host}" ${why}`, true);
}

export function noCapacity(message: string): DriverError {
  return new DriverError('NoCapacity', message, false);
}

export function invalid(message: string): DriverError {
  return new DriverError('InvalidRequest', message, false);
}

export function busy(message: string): DriverError {
  return new DriverError('Busy', message, true);
}
