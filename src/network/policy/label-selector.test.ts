/** Label selector matching: AND of matchLabels and expressions, NotIn/DoesNotExist on missing keys, canonical keys. */
import { describe, expect, it } from 'vitest';
import { compileSelector, type LabelSelector } from './label-selector.js';

describe('compileSelector', () => {
  it.each<[string, LabelSelector | undefined, Record<string, string>, boolean]>([
    ['absent matches all', undefined, {}, true],
    ['{} matches all', {}, { a: '1' }, true],
    ['matchLabels hit', { matchLabels: { app: 'web' } }, { app: 'web', x: 'y' }, true],
    ['matchLabels miss', { matchLabels: { app: 'web' } }, { app: 'db' }, false],
    ['matchLabels missing key', { matchLabels: { app: 'web' } }, {}, false],
    ['matchLabels empty value', { matchLabels: { app: '' } }, { app: '' }, true],
    ['In hit', { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] }, { pod: 'c' }, true],
    ['In missing key', { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] }, {}, false],
    ['NotIn matches a missing key', { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] }, {}, true],
    ['NotIn excludes', { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] }, { ns: 'x' }, false],
    ['Exists', { matchExpressions: [{ key: 'team', operator: 'Exists' }] }, { team: '' }, true],
    ['DoesNotExist matches a missing key', { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, { other: '1' }, true],
    ['DoesNotExist excludes', { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, { team: 'a' }, false],
    ['labels AND expressions', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] }, { app: 'web', tier: 'be' }, false],
    ['inherited keys do not count', { matchExpressions: [{ key: 'toString', operator: 'Exists' }] }, {}, false],
  ])('%s', (_name, sel, labels, want) => {
    expect(compileSelector(sel).matches(labels)).toBe(want);
  });

  it('gives equal selectors equal keys regardless of order', () => {
    const a = compileSelector({ matchLabels: { a: '1', b: '2' }, matchExpressions: [{ key: 'k', operator: 'In', values: ['y', 'x'] }, { key: 'j', operator: 'Exists' }] });
    const b = compileSelector({ matchExpressions: [{ key: 'j', operator: 'Exists' }, { key: 'k', operator: 'In', values: ['x', 'y'] }], matchLabels: { b: '2', a: '1' } });
    expect(a.key).toBe(b.key);
    expect(compileSelector({ matchLabels: { a: '1' } }).key).not.toBe(compileSelector({ matchLabels: { a: '2' } }).key);
    expect(compileSelector({}).matchesAll).toBe(true);
  });
});
