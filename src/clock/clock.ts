/**
 * Time for everything in Bulkhead goes through a Clock, so that the same code runs on the wall
 * clock, on a sped-up clock (the server's simulated datacenter) or on a virtual clock that tests
 * and `bulkhead sim` advance as fast as the CPU allows.
 */

/** A scheduled callback; pass it back to `clearTimeout`. */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Milliseconds since the Unix epoch, in this clock's time. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
}

/** ISO 8601 timestamp of a clock's now. */
export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}

/**
 * Wall-clock time sped up by `scale` (1 = real time). Modeled durations stay realistic while a
 * VM that takes 40 s to boot appears in about a second at scale 40.
 */
export class ScaledClock implements Clock {
  private readonly realStart = Date.now();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private nextId = 1;

  constructor(
    readonly scale = 1,
    private readonly start = Date.now(),
  ) {
    if (!(scale > 0)) throw new RangeError('clock scale must be positive');
  }

  now(): number {
    return Math.floor(this.start + (Date.now() - this.realStart) * this.scale);
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const t = setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, Math.max(0, ms / this.scale));
    t.unref?.();
    this.timers.set(id, t);
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    const t = this.timers.get(handle.id);
    if (t) clearTimeout(t);
    this.timers.delete(handle.id);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      const t = setTimeout(() => {
        this.timers.delete(id);
        resolve();
      }, Math.max(0, ms / this.scale));
      this.timers.set(id, t);
    });
  }

  /** Cancels every pending timer (shutdown). */
  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

/** The real clock: `ScaledClock` at scale 1. */
export class RealClock extends ScaledClock {
  constructor() {
    super(1);
  }
}

interface VirtualTimer {
  readonly id: number;
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * A clock that only moves when told to. Timers fire in (time, creation) order, so runs are
 * deterministic. `advance` lets pending promise callbacks run between timers, so async code
 * driven by timers makes progress as it would in real time.
 */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private nextId = 1;
  private readonly timers = new Map<number, VirtualTimer>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.current + Math.max(0, ms), seq: this.seq++, fn });
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle.id);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** Number of timers not yet fired. */
  pending(): number {
    return this.timers.size;
  }

  /** Time of the next timer, if any. */
  nextAt(): number | undefined {
    const t = this.earliest();
    return t?.at;
  }

  private earliest(): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const t of this.timers.values()) {
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }

  /** Moves time forward by `ms`, firing every timer due on the way, and settling promises between them. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await flushMicrotasks();
    while (this.fireNext(target)) await flushMicrotasks();
    this.current = target;
    await flushMicrotasks();
  }

  /** Fires the earliest timer due by `target`; false when none is. */
  private fireNext(target: number): boolean {
    const t = this.earliest();
    if (!t || t.at > target) return false;
    this.timers.delete(t.id);
    this.current = Math.max(this.current, t.at);
    t.fn();
    return true;
  }

  /** Synchronous variant for code with no promises in between: fires due timers in order. */
  advanceSync(ms: number): void {
    const target = this.current + ms;
    while (this.fireNext(target));
    this.current = target;
  }

  /**
   * Moves time forward by `ms` in steps of `stepMs`, so controllers woken by one step's timers
   * (their store writes, their watches) run before the next step.
   */
  async advanceInSteps(ms: number, stepMs: number): Promise<void> {
    for (let t = 0; t < ms; t += stepMs) await this.advance(Math.min(stepMs, ms - t));
  }

  /** Steps time forward until `pred` holds; throws after `maxMs` of virtual time. */
  async advanceUntil(pred: () => Promise<boolean> | boolean, stepMs: number, maxMs: number, what = 'condition'): Promise<void> {
    for (let t = 0; t <= maxMs; t += stepMs) {
      if (await pred()) return;
      await this.advance(stepMs);
    }
    throw new Error(`timed out after ${maxMs / 1000} virtual seconds waiting for ${what}`);
  }

  /** Fires timers until none are left or `limitMs` of virtual time has passed. */
  async runAll(limitMs = 24 * 3600_000): Promise<void> {
    const end = this.current + limitMs;
    for (;;) {
      const at = this.nextAt();
      if (at === undefined || at > end) break;
      await this.advance(at - this.current);
    }
  }
}

/** Lets queued promise callbacks (and their follow-ups) run. */
export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
  await new Promise<void>((r) => setImmediate(r));
}
