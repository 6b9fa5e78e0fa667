import { describe, expect, it } from 'vitest';
import { formatCpu, formatMemory, parseCpuMillis, parseMemoryMiB } from './quantity.js';

describe('quantities', () => {
  it.each([
    ['500m', 500],
    ['1', 1000],
    ['0.5', 500],
    ['.1', 100],
    ['2.5', 2500],
    ['1500m', 1500],
    ['1e-1', 100],
    [2, 2000],
    [0.25, 250],
    ['100000n', 1],
    ['1k', 1_000_000],
  ])('cpu %s = %i millicores', (q, want) => {
    expect(parseCpuMillis(q)).toEqual({ ok: true, value: want });
  });
  it.each([
    ['512Mi', 512],
    ['1Gi', 1024],
    ['1.5Gi', 1536],
    ['128974848', 123],
    ['129M', 124],
    ['1G', 954],
    ['1Ti', 1024 * 1024],
    ['1024Ki', 1],
    ['1Ki', 1],
    [1048576, 1],
  ])('memory %s = %i MiB', (q, want) => {
    expect(parseMemoryMiB(q)).toEqual({ ok: true, value: want });
  });
  it.each(['', 'abc', '1.2.3', '-1', '5Zi', '1e3Mi', 'Mi', '1 Gi x'])('rejects %j with a message', (q) => {
    const r = parseCpuMillis(q);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message.length).toBeGreaterThan(5);
  });
  it('rejects milli-bytes of memory and non-strings', () => {
    expect(parseMemoryMiB('100m').ok).toBe(false);
    expect(parseMemoryMiB({}).ok).toBe(false);
    expect(parseMemoryMiB(-5).ok).toBe(false);
  });
  it('formats back', () => {
    expect([formatCpu(2000), formatCpu(250), formatMemory(2048), formatMemory(300)]).toEqual(['2', '250m', '2Gi', '300Mi']);
  });
});
