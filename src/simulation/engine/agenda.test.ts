import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/index.js';
import { Agenda } from './agenda.js';

describe('Agenda', () => {
  it('runs events in time order, ties in scheduling order, interleaved with other clock timers', async () => {
    const clock = new VirtualClock(0);
    const agenda = new Agenda(clock);
    const seen: string[] = [];
    agenda.at(300, () => seen.push('c@300'));
    agenda.at(100, () => seen.push('a@100'));
    agenda.at(100, () => seen.push('b@100'));
    clock.setTimeout(() => seen.push('timer@200'), 200);
    agenda.at(150, () => agenda.after(10, () => seen.push(`nested@${clock.now()}`)));
    await clock.advance(1000);
    expect(seen).toEqual(['a@100', 'b@100', 'nested@160', 'timer@200', 'c@300']);
    expect(agenda.ran).toBe(5);
  });

  it('runs an event scheduled in the past at once, and nothing after close', async () => {
    const clock = new VirtualClock(1000);
    const agenda = new Agenda(clock);
    const seen: number[] = [];
    agenda.at(0, () => seen.push(clock.now()));
    agenda.at(2000, () => seen.push(clock.now()));
    await clock.advance(500);
    agenda.close();
    await clock.advance(5000);
    expect(seen).toEqual([1000]);
  });
});
