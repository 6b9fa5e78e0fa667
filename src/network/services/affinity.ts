/**
 * ClientIP session affinity, as kube-proxy implements it with the iptables `recent` match: per
 * Service port, a client's new connections go to the backend its last connection went to, as
 * long as that was less than `timeoutSeconds` ago and the backend still serves. Every connection
 * refreshes the timestamp. Times are milliseconds on the injected clock.
 */

/** One client's stickiness to a backend; JSON-safe. */
export interface AffinityEntry {
  /** `ip:port` of the backend. */
  readonly backend: string;
  /** When the client last opened a connection through this entry. */
  readonly lastUsed: number;
}

/** When the entry stops applying. */
export function affinityExpiresAt(entry: AffinityEntry, timeoutSeconds: number): number {
  return entry.lastUsed + timeoutSeconds * 1000;
}

/** Whether the entry still applies at `now` (it lapses exactly `timeoutSeconds` after last use). */
export function affinityLive(entry: AffinityEntry | undefined, timeoutSeconds: number, now: number): entry is AffinityEntry {
  return entry !== undefined && now < affinityExpiresAt(entry, timeoutSeconds);
}
