import { describe, expect, it } from 'vitest';
import type { RetentionRule } from '../../api/index.js';
import { validateRetention } from './validate.js';

const spec = (...rules: RetentionRule[]) => ({ retention: { rules } });

describe('validateRetention', () => {
  it('accepts exactly one quantity per rule, and no policy at all', () => {
    expect(validateRetention(spec({ latestPushed: 3 }, { pushedWithinDays: 0 }, { always: true, tags: 'release-*' }))).toEqual([]);
    expect(validateRetention({})).toEqual([]);
    expect(validateRetention(undefined)).toEqual([]);
  });

  it('names the rule with no quantity (always: false counts as none)', () => {
    expect(validateRetention(spec({ latestPushed: 1 }, { tags: 'v*' }, { always: false }))).toEqual([
      { field: 'spec.retention.rules[1]', message: expect.stringContaining('none is set') },
      { field: 'spec.retention.rules[2]', message: expect.stringContaining('none is set') },
    ]);
  });

  it('names the rule with two quantities and which', () => {
    expect(validateRetention(spec({ latestPushed: 1, always: true }))).toEqual([
      { field: 'spec.retention.rules[0]', message: expect.stringContaining('latestPushed and always are set') },
    ]);
  });
});
