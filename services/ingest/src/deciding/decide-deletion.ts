import type { DomainEvent } from '@cdp/contracts';
import type { AggregateState } from './aggregate-state';
import { eventId, eventMetadata } from './event-metadata';
import type { Decision, DecisionContext } from './observation';

type DeletionEvent = Extract<DomainEvent, { type: 'OrderDeleted' | 'CustomerDeleted' | 'ProductDeleted' }>;

export interface Deletion {
  key: string;
  aggregateId: string;
  deletedAt: string;
  event: (metadata: DeletionEvent['metadata']) => DeletionEvent;
  type: DeletionEvent['type'];
}

/**
 * Deletion is terminal (Haravan never reuses an id): the first one emits, and the tombstone then
 * swallows every later delivery, including snapshots that arrive late. The event id leaves out
 * deletedAt, which is the receipt time of a webhook and would differ between re-deliveries.
 */
export function decideDeletion(
  state: AggregateState | undefined,
  deletion: Deletion,
  ctx: DecisionContext,
): Decision {
  if (state?.deleted) return { events: [], state: undefined };
  const metadata = eventMetadata(ctx, {
    type: deletion.type,
    id: eventId(ctx, deletion.key, deletion.type, '', ''),
    aggregateId: deletion.aggregateId,
    occurredAt: deletion.deletedAt,
  });
  const tombstone: AggregateState = state
    ? { ...state, deleted: true }
    : { version: deletion.deletedAt, fingerprint: '', fields: {}, deleted: true };
  return { events: [deletion.event(metadata)], state: tombstone };
}
