import { schemaVersions, type EventMetadata, type EventType } from '@cdp/contracts';
import { canonicalJson, sha256Hex } from './hashing';
import type { DecisionContext } from './observation';

/**
 * The event id is a hash of what the event is about, never of when or how it was received, so a
 * record decided again after a crash yields the same ids and downstream dedup works.
 */
export function eventId(
  ctx: DecisionContext,
  key: string,
  type: EventType,
  version: string,
  fingerprint: string,
): string {
  return sha256Hex(canonicalJson([ctx.tenantId, key, type, version, fingerprint]));
}

export function eventMetadata(
  ctx: DecisionContext,
  input: { type: EventType; id: string; aggregateId: string; occurredAt: string },
): EventMetadata {
  return {
    eventId: input.id,
    schemaVersion: schemaVersions[input.type],
    tenantId: ctx.tenantId,
    aggregateId: input.aggregateId,
    occurredAt: input.occurredAt,
    recordedAt: ctx.recordedAt,
    source: ctx.source,
    causationId: ctx.causationId,
  };
}
