// The work queue on a virtual clock: dedup, one worker per key, delayed and rate-limited adds,
// and shutdown releasing idle workers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock, flushMicrotasks } from '../../clock/index.js';
import { WorkQueue } from './work-queue.js';

/** Resolves `p` if it settles within the pending microtasks, else returns 'pending'. */
async function settled<T>(p: Promise<T>): Promise<T | 'pending'> {
  let out: T | 'pending' = 'pending';
  void p.then((v) => (out = v));
  await flushMicrotasks();
  return out;
}

/** Milliseconds until the clock's next timer. */
function nextDelay(clock: VirtualClock): number {
  const at = clock.nextAt();
  if (at === undefined) throw new Error('no timer pending');
  return at - clock.now();
}

/** Drains every key that is ready now, calling done() on each. */
async function drain(q: WorkQueue): Promise<string[]> {
  const out: string[] = [];
  while (q.length() > 0) {
    const k = await q.get();
    if (k === undefined) break;
    out.push(k);
    q.done(k);
  }
  return out;
}

describe('WorkQueue', () => {
  it('hands keys out in order and a key added many times while queued is processed once', async () => {
    const q = new WorkQueue(new VirtualClock());
    for (const k of ['a', 'b', 'a', 'c', 'b', 'a']) q.add(k);
    expect(q.length()).toBe(3);
    expect(await drain(q)).toEqual(['a', 'b', 'c']);
    expect(q.idle()).toBe(true);
  });

  it('a key added while processing is not handed out again until done(), then exactly once', async () => {
    const q = new WorkQueue(new VirtualClock());
    q.add('a');
    expect(await q.get()).toBe('a');
    q.add('a');
    q.add('a');
    q.add('b');
    // The second worker gets b, not a second copy of a.
    expect(await q.get()).toBe('b');
    q.done('b');
    expect(await settled(q.get())).toBe('pending');
    q.done('a');
    expect(await drain(q)).toEqual(['a']);
    expect(q.idle()).toBe(true);
  });

  it('a key being processed is not idle; done() without re-adds does not requeue it', async () => {
    const q = new WorkQueue(new VirtualClock());
    q.add('a');
    const k = await q.get();
    expect(q.idle()).toBe(false);
    q.done(k ?? '');
    expect(q.length()).toBe(0);
    expect(q.idle()).toBe(true);
  });

  it('a waiting get() is woken by add()', async () => {
    const q = new WorkQueue(new VirtualClock());
    const p = q.get();
    expect(await settled(p)).toBe('pending');
    q.add('x');
    expect(await p).toBe('x');
  });

  it('addAfter enqueues once the clock has advanced by the delay', async () => {
    const clock = new VirtualClock();
    const q = new WorkQueue(clock);
    q.addAfter('a', 100);
    expect(q.length()).toBe(0);
    expect(q.idle()).toBe(false);
    await clock.advance(99);
    expect(q.length()).toBe(0);
    await clock.advance(1);
    expect(q.length()).toBe(1);
    expect(await q.get()).toBe('a');
  });

  it('addAfter: the earlier of two pending delays wins, and a zero delay adds at once', async () => {
    const clock = new VirtualClock();
    const q = new WorkQueue(clock);
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 500);
    await clock.advance(50);
    expect(await drain(q)).toEqual(['a']);
    await clock.advance(1000);
    expect(q.length()).toBe(0);
    expect(clock.pending()).toBe(0);
    q.addAfter('b', 0);
    expect(q.length()).toBe(1);
  });

  it('addRateLimited backs off 5, 10, 20, 40 ms ... per key, capped at maxDelayMs', async () => {
    const clock = new VirtualClock();
    const q = new WorkQueue(clock, { maxDelayMs: 100 });
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const start = clock.now();
      q.addRateLimited('a');
      await clock.advance(nextDelay(clock) - 1);
      expect(q.length()).toBe(0);
      await clock.advance(1);
      expect(await drain(q)).toEqual(['a']);
      delays.push(clock.now() - start);
    }
    expect(delays).toEqual([5, 10, 20, 40, 80, 100, 100]);
    expect(q.numRequeues('a')).toBe(7);
  });

  it('backoff is per key, and forget() resets it', async () => {
    const clock = new VirtualClock();
    const q = new WorkQueue(clock);
    for (let i = 0; i < 3; i++) {
      q.addRateLimited('a');
      await clock.advance(1000);
      await drain(q);
    }
    q.addRateLimited('b');
    expect(nextDelay(clock)).toBe(5);
    await clock.advance(5);
    await drain(q);
    q.addRateLimited('a');
    expect(nextDelay(clock)).toBe(40);
    await clock.advance(40);
    await drain(q);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
    q.addRateLimited('a');
    expect(nextDelay(clock)).toBe(5);
  });

  it('honours baseDelayMs and maxDelayMs', () => {
    const clock = new VirtualClock();
    const q = new WorkQueue(clock, { baseDelayMs: 100, maxDelayMs: 1000 });
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      q.addRateLimited('k');
      delays.push(nextDelay(clock));
      clock.advanceSync(nextDelay(clock));
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('shutDown releases every waiting get() with undefined and ignores later adds', async () => {
    const clock = new VirtualClock();
    const q = new WorkQueue(clock);
    const waiting = [q.get(), q.get(), q.get()];
    expect(await settled(waiting[0] as Promise<string | undefined>)).toBe('pending');
    q.addAfter('late', 10);
    q.shutDown();
    expect(clock.pending()).toBe(0); // no timers left behind
    expect(q.idle()).toBe(true);
    expect(await Promise.all(waiting)).toEqual([undefined, undefined, undefined]);
    expect(await q.get()).toBeUndefined();
    q.add('x');
    q.addAfter('y', 1);
    await clock.advance(100);
    expect(q.length()).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('property: with several workers, no key is ever processed by two at once and every add is seen after it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        async (adds, workers) => {
          const clock = new VirtualClock();
          const q = new WorkQueue(clock);
          const active = new Set<string>();
          /** Per key: the index of the last add, and the last add index a processing of it started after. */
          const lastAdd = new Map<string, number>();
          const coveredUpTo = new Map<string, number>();
          let addCount = 0;
          let overlap = false;
          const runWorker = async (): Promise<void> => {
            for (;;) {
              const k = await q.get();
              if (k === undefined) return;
              if (active.has(k)) overlap = true;
              active.add(k);
              coveredUpTo.set(k, addCount);
              await clock.sleep(2); // work takes time, during which more adds arrive
              active.delete(k);
              q.done(k);
            }
          };
          const running = Array.from({ length: workers }, () => runWorker());
          for (const [key, gap] of adds) {
            addCount++;
            lastAdd.set(key, addCount);
            q.add(key);
            await clock.advance(gap);
          }
          await clock.advance(1000);
          expect(q.idle()).toBe(true);
          q.shutDown();
          await Promise.all(running);
          expect(overlap).toBe(false);
          // Every key's last add was followed by a processing that started after it.
          for (const [key, n] of lastAdd) expect(coveredUpTo.get(key)).toBeGreaterThanOrEqual(n);
        },
      ),
      { numRuns: 100 },
    );
  });
});
