import type { DomainEvent } from '@cdp/contracts';
import type { AggregateState } from './aggregate-state';
import { eventId, eventMetadata } from './event-metadata';
import { fingerprintOf } from './hashing';
import type { Decision, DecisionContext } from './observation';
import { changedFields, snapshotFields } from './snapshot-fields';
import { supersedes } from './supersedes';

type UpsertEvent = Extract<DomainEvent, { type: 'CustomerUpserted' | 'ProductUpserted' }>;

export interface Upsert<S extends { updatedAt: string }> {
  key: string;
  aggregateId: string;
  snapshot: S;
  type: UpsertEvent['type'];
  event: (metadata: UpsertEvent['metadata']) => UpsertEvent;
}

/** Customers and products have a single "this is it now" event: on first sight or any change but updatedAt. */
export function decideUpsert<S extends { updatedAt: string }>(
  state: AggregateState | undefined,
  upsert: Upsert<S>,
  ctx: DecisionContext,
): Decision {
  const { snapshot } = upsert;
  const fingerprint = fingerprintOf(snapshot);
  if (state && (state.deleted || !supersedes(state, snapshot.updatedAt, fingerprint))) {
    return { events: [], state: undefined };
  }
  const next: AggregateState = {
    version: snapshot.updatedAt,
    fingerprint,
    fields: snapshotFields(snapshot),
    deleted: false,
  };
  if (state && changedFields(state.fields, next.fields).length === 0) return { events: [], state: next };
  const metadata = eventMetadata(ctx, {
    type: upsert.type,
    id: eventId(ctx, upsert.key, upsert.type, snapshot.updatedAt, fingerprint),
    aggregateId: upsert.aggregateId,
    occurredAt: snapshot.updatedAt,
  });
  return { events: [upsert.event(metadata)], state: next };
}
