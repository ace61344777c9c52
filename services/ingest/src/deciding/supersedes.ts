import type { AggregateState } from './aggregate-state';

/**
 * Whether a snapshot is newer than the known state: a later updatedAt, or the same updatedAt and a
 * larger fingerprint. Orders' fingerprints lead with how far along the order is, then the version of
 * the buyer it embeds (order-progress.ts); past that the tiebreak is arbitrary but total, so every
 * arrival order ends in the same state.
 */
export function supersedes(state: AggregateState, version: string, fingerprint: string): boolean {
  const incoming = Date.parse(version);
  const known = Date.parse(state.version);
  if (incoming !== known) return incoming > known;
  return fingerprint > state.fingerprint;
}
