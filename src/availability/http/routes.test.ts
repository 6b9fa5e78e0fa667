// The migrate request body: only `toHost`, a host name; anything else is a 422 naming the field.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../api/index.js';
import { parseMigrateBody } from './routes.js';

describe('parseMigrateBody', () => {
  it('accepts no body, an empty object and a host name', () => {
    expect(parseMigrateBody(undefined)).toEqual({});
    expect(parseMigrateBody({})).toEqual({});
    expect(parseMigrateBody({ toHost: 'zone-a-host-01' })).toEqual({ toHost: 'zone-a-host-01' });
  });

  it.each([
    [[], 'body: must be an object like {"toHost": "h-01"}'],
    [{ host: 'h1' }, 'host: unknown field (only toHost)'],
    [{ toHost: 7 }, 'toHost: must be a host name, got 7'],
    [{ toHost: 'Not A Host' }, 'toHost: must be a host name, got "Not A Host"'],
  ])('refuses %j', (body, message) => {
    expect(() => parseMigrateBody(body)).toThrow(ValidationError);
    expect(() => parseMigrateBody(body)).toThrow(message);
  });
});
