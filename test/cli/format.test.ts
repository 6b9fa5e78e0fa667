/** Cell formatting: ages, arrays, missing values, dotted paths. */
import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration, formatValue, getPath } from '../../src/cli/format.js';

describe('formatAge', () => {
  const now = Date.parse('2025-01-10T12:00:00Z');
  it.each([
    ['2025-01-10T11:59:55Z', '5s'],
    ['2025-01-10T11:59:01Z', '59s'],
    ['2025-01-10T11:59:00Z', '1m'],
    ['2025-01-10T11:57:00Z', '3m'],
    ['2025-01-10T10:00:00Z', '2h'],
    ['2025-01-09T12:00:01Z', '23h'],
    ['2025-01-06T12:00:00Z', '4d'],
    ['2025-01-10T12:00:30Z', '0s'], // clock skew: never negative
  ])('%s -> %s', (ts, want) => {
    expect(formatAge(ts, now)).toBe(want);
  });

  it('missing and invalid timestamps', () => {
    expect(formatAge(undefined, now)).toBe('<none>');
    expect(formatAge('yesterday', now)).toBe('<invalid>');
  });

  it('formatDuration rounds down', () => {
    expect(formatDuration(119_999)).toBe('1m');
  });
});

describe('formatValue', () => {
  it.each([
    [undefined, '<none>'],
    [null, '<none>'],
    ['', '<none>'],
    [[], '<none>'],
    [['sev-es', 'avx512'], 'sev-es,avx512'],
    [[0, 1], '0,1'],
    [0, '0'],
    [false, 'false'],
    [[{ kind: 'User', name: 'alice' }, { kind: 'Group', name: 'ops' }], 'User/alice,Group/ops'],
  ])('%j -> %s', (v, want) => {
    expect(formatValue(v)).toBe(want);
  });
});

describe('getPath', () => {
  it('follows dots and stops at missing steps', () => {
    const o = { status: { host: 'h1', numa: [0] } };
    expect(getPath(o, 'status.host')).toBe('h1');
    expect(getPath(o, 'status.missing.deeper')).toBeUndefined();
    expect(getPath(o, 'spec.x')).toBeUndefined();
  });
});
