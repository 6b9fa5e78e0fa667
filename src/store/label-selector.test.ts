// Label selector parsing and matching, table-driven over the Kubernetes syntax.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../api/index.js';
import { matchesSelector, parseLabelSelector } from './label-selector.js';
import type { LabelRequirement } from './store.js';

describe('parseLabelSelector', () => {
  const ok: [string, LabelRequirement[]][] = [
    ['', []],
    ['a=b', [{ key: 'a', op: '=', value: 'b' }]],
    ['a==b', [{ key: 'a', op: '=', value: 'b' }]],
    ['a!=b', [{ key: 'a', op: '!=', value: 'b' }]],
    ['a=', [{ key: 'a', op: '=', value: '' }]],
    ['env in (prod, staging)', [{ key: 'env', op: 'in', values: ['prod', 'staging'] }]],
    ['env notin (dev)', [{ key: 'env', op: 'notin', values: ['dev'] }]],
    ['tier', [{ key: 'tier', op: 'exists' }]],
    ['!legacy', [{ key: 'legacy', op: '!' }]],
    ['bulkhead.dev/tenant=acme', [{ key: 'bulkhead.dev/tenant', op: '=', value: 'acme' }]],
    [
      ' app = web , tier!=db,env in (a,b),!legacy,x ',
      [
        { key: 'app', op: '=', value: 'web' },
        { key: 'tier', op: '!=', value: 'db' },
        { key: 'env', op: 'in', values: ['a', 'b'] },
        { key: 'legacy', op: '!' },
        { key: 'x', op: 'exists' },
      ],
    ],
    ['in=notin', [{ key: 'in', op: '=', value: 'notin' }]],
  ];
  for (const [input, want] of ok) {
    it(`parses ${JSON.stringify(input)}`, () => expect(parseLabelSelector(input)).toEqual(want));
  }

  const bad = ['a=b=c', 'a in b', 'a in ()', 'a in (b', 'a,', ',a', '=b', '!', 'a b', 'a=(b)', 'a=b;c', '-a=b', 'a/b/c=d', `a=${'v'.repeat(64)}`, 'Bad_Prefix.io/a=b'];
  for (const input of bad) {
    it(`rejects ${JSON.stringify(input)} naming field labelSelector`, () => {
      let err: unknown;
      try {
        parseLabelSelector(input);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).causes[0]?.field).toBe('labelSelector');
    });
  }
});

describe('matchesSelector', () => {
  const labels = { app: 'web', tier: 'fe' };
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ['', undefined, true],
    ['app=web', labels, true],
    ['app=api', labels, false],
    ['app=web', undefined, false],
    ['app!=api', labels, true],
    ['app!=web', labels, false],
    ['missing!=x', labels, true],
    ['tier in (fe,be)', labels, true],
    ['tier in (be)', labels, false],
    ['missing in (x)', labels, false],
    ['tier notin (be)', labels, true],
    ['tier notin (fe)', labels, false],
    ['missing notin (x)', labels, true],
    ['app', labels, true],
    ['missing', labels, false],
    ['!missing', labels, true],
    ['!app', labels, false],
    ['app=web,tier=fe', labels, true],
    ['app=web,tier=be', labels, false],
    ['empty=', { empty: '' }, true],
  ];
  for (const [sel, l, want] of cases) {
    it(`${JSON.stringify(sel)} on ${JSON.stringify(l)} is ${want}`, () => expect(matchesSelector(l, parseLabelSelector(sel))).toBe(want));
  }
});
