/** Wall time plus an offset tests move forward (GC windows, retention ages); timers run on wall time. */
import { RealClock, type Clock, type TimerHandle } from '../../src/clock/index.js';

export class SkewClock implements Clock {
  private offset = 0;
  private readonly real = new RealClock();
  now(): number {
    return Date.now() + this.offset;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.real.setTimeout(fn, ms);
  }
  clearTimeout(h: TimerHandle): void {
    this.real.clearTimeout(h);
  }
  sleep(ms: number): Promise<void> {
    return this.real.sleep(ms);
  }
  skip(ms: number): void {
    this.offset += ms;
  }
}
