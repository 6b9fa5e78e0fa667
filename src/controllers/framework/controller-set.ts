/**
 * A set of informers and controllers started and stopped together: what the controller manager
 * gives extensions, in a form tests and benchmarks can build on their own store and clock.
 */
import type { Logger } from 'pino';
import type { Resource } from '../../api/index.js';
import type { Clock } from '../../clock/index.js';
import type { Store } from '../../store/index.js';
import { Controller, type ControllerOptions, type Reconciler } from './controller.js';
import { Informer } from './informer.js';

export class ControllerSet {
  private readonly informers = new Map<string, Informer>();
  private readonly controllers: Controller[] = [];

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly defaults: ControllerOptions = {},
  ) {}

  /** The shared informer of a kind, created on first use. */
  informer<T extends Resource>(kind: string): Informer<T> {
    let inf = this.informers.get(kind);
    if (!inf) this.informers.set(kind, (inf = new Informer(this.store, kind, (err) => this.log.warn({ err: err.message, kind }, 'informer error; relisting'))));
    return inf as unknown as Informer<T>;
  }

  /** Adds a controller; `build` gets the function that enqueues a key for it. */
  addController<R extends Reconciler>(build: (enqueue: (key: string) => void) => R, workers = 1): R {
    const box: { c?: Controller } = {};
    const r = build((k) => box.c?.enqueue(k));
    box.c = new Controller(r, this.clock, this.log, { ...this.defaults, workers });
    this.controllers.push(box.c);
    return r;
  }

  /** Lists and starts watching every informer, then starts the controllers. */
  async start(): Promise<void> {
    await this.startInformers();
    this.startControllers();
  }

  /** Starts the informers one by one, in the order they were first asked for. */
  async startInformers(): Promise<void> {
    for (const inf of this.informers.values()) await inf.start();
  }

  startControllers(): void {
    for (const c of this.controllers) c.start();
  }

  /** True when no controller has work queued. */
  idle(): boolean {
    return this.controllers.every((c) => c.queue.length() === 0);
  }

  async stop(): Promise<void> {
    for (const inf of this.informers.values()) inf.stop();
    await Promise.all(this.controllers.map((c) => c.stop()));
  }
}
