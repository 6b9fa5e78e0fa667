/**
 * Port matching shared by NetworkPolicy and admin rules: numeric ports, `port..endPort` ranges,
 * protocol-only entries, and named ports resolved against the destination pod's container ports
 * (a name no container exposes, or exposes under another protocol, matches nothing).
 */
import type { NamedPort, Protocol } from '../types.js';
import type { NetworkPolicyPort } from './network-policy-schema.js';

interface NumericEntry {
  readonly protocol: Protocol;
  readonly lo: number;
  readonly hi: number;
}

interface NamedEntry {
  readonly protocol: Protocol;
  readonly name: string;
}

/** A rule's `ports` compiled; `any` when the list was absent or empty (every port, every protocol). */
export interface CompiledPorts {
  readonly any: boolean;
  readonly numeric: readonly NumericEntry[];
  readonly named: readonly NamedEntry[];
}

const ANY_PORTS: CompiledPorts = { any: true, numeric: [], named: [] };

/** Compiles a validated port list. */
export function compilePorts(ports: readonly NetworkPolicyPort[] | undefined): CompiledPorts {
  if (!ports || ports.length === 0) return ANY_PORTS;
  const numeric: NumericEntry[] = [];
  const named: NamedEntry[] = [];
  for (const p of ports) {
    const protocol = p.protocol ?? 'TCP';
    if (p.port === undefined) numeric.push({ protocol, lo: 1, hi: 65535 });
    else if (typeof p.port === 'string') named.push({ protocol, name: p.port });
    else numeric.push({ protocol, lo: p.port, hi: p.endPort ?? p.port });
  }
  return { any: false, numeric, named };
}

/** True when a numeric or protocol-only entry admits `port`/`protocol` whatever the destination. */
export function numericPortMatch(ports: CompiledPorts, port: number, protocol: Protocol): boolean {
  if (ports.any) return true;
  for (const e of ports.numeric) if (e.protocol === protocol && port >= e.lo && port <= e.hi) return true;
  return false;
}

/** True when a named entry resolves, on the destination's container ports, to `port`/`protocol`. */
export function namedPortMatch(ports: CompiledPorts, dstPorts: readonly NamedPort[], port: number, protocol: Protocol): boolean {
  for (const e of ports.named) {
    if (e.protocol !== protocol) continue;
    for (const c of dstPorts) if (c.name === e.name && c.protocol === protocol && c.port === port) return true;
  }
  return false;
}

/** The full port test; `dstPorts` are the destination pod's container ports (none for an external address). */
export function portsMatch(ports: CompiledPorts, dstPorts: readonly NamedPort[], port: number, protocol: Protocol): boolean {
  return numericPortMatch(ports, port, protocol) || namedPortMatch(ports, dstPorts, port, protocol);
}

/** Names of the destination's container ports serving `port`/`protocol` (what named entries can resolve to). */
export function servingPortNames(dstPorts: readonly NamedPort[], port: number, protocol: Protocol): string[] {
  const out: string[] = [];
  for (const c of dstPorts) if (c.name !== undefined && c.port === port && c.protocol === protocol) out.push(c.name);
  return out;
}
