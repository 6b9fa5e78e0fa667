import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../api/index.js';
import { toStatus } from '../../server/status.js';
import { MaintenanceRunningError } from './errors.js';
import { compileGcRequest, compileLimit, compileRetentionRequest } from './requests.js';

const causes = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.causes.map((c) => c.field);
    throw err;
  }
  return [];
};

describe('maintenance requests', () => {
  it('defaults to a real run without untagged deletion; an empty body is fine', () => {
    expect(compileGcRequest(undefined)).toEqual({ dryRun: false, deleteUntagged: false });
    expect(compileGcRequest({ dryRun: true, deleteUntagged: true })).toEqual({ dryRun: true, deleteUntagged: true });
    expect(compileRetentionRequest({})).toEqual({ dryRun: false });
  });

  it('names every bad field', () => {
    expect(causes(() => compileGcRequest({ dryRun: 'true', wipe: 1 }))).toEqual(['wipe', 'dryRun']);
    expect(causes(() => compileRetentionRequest({ deleteUntagged: true }))).toEqual(['deleteUntagged']);
    expect(causes(() => compileGcRequest([true]))).toEqual(['body']);
  });

  it.each([
    [undefined, 20],
    ['5', 5],
  ])('limit %s -> %s', (raw, want) => expect(compileLimit(raw, 20)).toBe(want));

  it.each(['0', '501', '-1', 'ten'])('refuses limit %s', (raw) => expect(causes(() => compileLimit(raw, 20))).toEqual(['limit']));

  it('a running run maps to 409 Conflict naming it', () => {
    const { body } = toStatus(new MaintenanceRunningError('GarbageCollection', 'gc-20260101t000000z-abcdef'), 0);
    expect(body).toMatchObject({ code: 409, reason: 'Conflict', details: { kind: 'GarbageCollection', name: 'gc-20260101t000000z-abcdef', retryable: true } });
    expect(body.message).toContain('gc-20260101t000000z-abcdef');
  });
});
