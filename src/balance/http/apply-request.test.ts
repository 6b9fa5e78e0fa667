// The apply body: named recommendations or all pending ones (of a zone); every mistake names its field.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../api/index.js';
import { parseApplyRequest } from './apply-request.js';

describe('parseApplyRequest', () => {
  it.each([
    [{ recommendations: ['a', 'b', 'a'] }, { names: ['a', 'b'] }],
    [{ all: true }, { all: true }],
    [{ all: true, zone: 'zone-a' }, { all: true, zone: 'zone-a' }],
  ])('accepts %j', (body, want) => {
    expect(parseApplyRequest(body)).toEqual(want);
  });

  it.each([
    [null, 'body'],
    [[], 'body'],
    [{}, 'recommendations'],
    [{ recommendations: [] }, 'recommendations'],
    [{ recommendations: ['a', 3] }, 'recommendations[1]'],
    [{ recommendations: ['a'], all: true }, 'recommendations'],
    [{ all: 'yes' }, 'all'],
    [{ recommendations: ['a'], zone: 'z' }, 'zone'],
    [{ all: true, zone: '' }, 'zone'],
    [{ all: true, force: true }, 'force'],
  ])('refuses %j naming %s', (body, field) => {
    try {
      parseApplyRequest(body);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).causes[0]?.field).toBe(field);
    }
  });
});
