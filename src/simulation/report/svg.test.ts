import { describe, expect, it } from 'vitest';
import { escapeXml, lineChart, niceStep } from './svg.js';

describe('lineChart', () => {
  const spec = {
    title: 'CPU <zone-a> & more',
    yLabel: 'percent',
    t: [0, 3_600_000, 7_200_000, 10_800_000],
    series: [
      { label: 'a', values: [10, 20, null, 40] },
      { label: 'b', values: [5, 5, 5, 5], dashed: true },
    ],
  };

  it('draws one path per series, broken where a value is missing, with escaped text', () => {
    const svg = lineChart(spec);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('CPU &lt;zone-a&gt; &amp; more');
    const paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(paths).toHaveLength(2);
    // Series a: two points, a gap, then a new segment (a second M).
    expect(paths[0]?.match(/M/g)).toHaveLength(2);
    expect(paths[1]?.match(/M/g)).toHaveLength(1);
    expect(svg).toContain('stroke-dasharray');
  });

  it('is deterministic', () => {
    expect(lineChart(spec)).toBe(lineChart(spec));
  });

  it('keeps values above yMax on the top edge', () => {
    const svg = lineChart({ ...spec, yMax: 20 });
    const ys = [...svg.matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(36);
  });
});

describe('helpers', () => {
  it.each([
    [10, 2],
    [100, 20],
    [7, 2],
    [0.3, 0.1],
  ])('niceStep(%d) = %d', (range, step) => expect(niceStep(range)).toBeCloseTo(step));

  it('escapes XML', () => expect(escapeXml('a<b>"c"&')).toBe('a&lt;b&gt;&quot;c&quot;&amp;'));
});
