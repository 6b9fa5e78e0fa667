/** Names of maintenance runs: `<prefix>-<UTC time to the second>-<6 hex>`, sortable and unique. */
import { randomBytes } from 'node:crypto';

export function runId(prefix: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').toLowerCase();
  return `${prefix}-${stamp}-${randomBytes(3).toString('hex')}`;
}
