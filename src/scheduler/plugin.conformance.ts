/**
 * Conformance suite every filter plugin's test runs over its own table of cases: the verdict
 * matches, success is the shared `SUCCESS` (no allocation per host), a rejection carries a known
 * code and a named reason, the verdict is repeatable and the plugin leaves the host untouched.
 */
import { expect, it } from 'vitest';
import type { VirtualMachine } from '../api/index.js';
import { CycleState, type FilterPlugin, type PreFilterPlugin } from './plugin.js';
import type { ClusterSnapshot } from './snapshot.js';
import { STATUS_CODES, SUCCESS, type FilterStatus, type StatusCode } from './status.js';

export interface FilterCase {
  readonly name: string;
  readonly snapshot: ClusterSnapshot;
  readonly vm: VirtualMachine;
  readonly host: string;
  /** `Success`, or the expected named reason. */
  readonly want: string;
  readonly code?: StatusCode;
}

function hasPreFilter(p: FilterPlugin): p is FilterPlugin & PreFilterPlugin {
  return 'preFilter' in p && typeof p.preFilter === 'function';
}

/** Runs PreFilter (if the plugin has one) and Filter for one VM and host. */
export function evalFilter(plugin: FilterPlugin, snapshot: ClusterSnapshot, vm: VirtualMachine, hostName: string): FilterStatus {
  const state = new CycleState();
  state.reset(snapshot.hostCount, 0);
  const req = snapshot.compile(vm);
  if (hasPreFilter(plugin)) {
    const st = plugin.preFilter(state, req, snapshot);
    if (st.code !== 'Success') return st;
  }
  const host = snapshot.host(hostName);
  if (host === undefined) throw new Error(`no host ${hostName}`);
  return plugin.filter(state, req, host);
}

const REASON_SHAPE = /^[A-Z][A-Za-z]+(:[\w.-]+)?$/;

export function runFilterConformance(factory: () => FilterPlugin, cases: readonly FilterCase[]): void {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const plugin = factory();
    const host = c.snapshot.host(c.host);
    const before = JSON.stringify(host);
    const st = evalFilter(plugin, c.snapshot, c.vm, c.host);
    if (c.want === 'Success') {
      expect(st).toBe(SUCCESS);
    } else {
      expect(st.reason).toBe(c.want);
      expect(STATUS_CODES).toContain(st.code);
      expect(st.code).not.toBe('Success');
      expect(st.reason).toMatch(REASON_SHAPE);
      if (c.code !== undefined) expect(st.code).toBe(c.code);
    }
    expect(evalFilter(plugin, c.snapshot, c.vm, c.host)).toEqual(st);
    expect(JSON.stringify(c.snapshot.host(c.host))).toBe(before);
  });
}
