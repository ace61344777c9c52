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
 * swallows every later delivery, including snapshots that arrive late, unless the shop's own API
 * later shows the record (decide's revival). The event id leaves out deletedAt, which is the
 * receipt time of a webhook and would differ between re-deliveries.
 */
export function decideDeletion(
  state: AggregateState | undefined,
  deletion: Deletion,
  ctx: DecisionContext,
): Decision {
  if (state?.deleted) {
    // No event, but the latest deletion is remembered: a sweep's proof of the record from before it
    // must not take back a deletion the merchant made after a forged one.
    const later =
      state.deletedAt !== undefined && Date.parse(deletion.deletedAt) > Date.parse(state.deletedAt);
    return { events: [], state: later ? { ...state, deletedAt: deletion.deletedAt } : undefined };
  }
  // A deletion after a revival is another event than the one the shop contradicted.
  const life = state?.revivals ? `revived-${state.revivals}` : '';
  const metadata = eventMetadata(ctx, {
    type: deletion.type,
    id: eventId(ctx, deletion.key, deletion.type, life, ''),
    aggregateId: deletion.aggregateId,
    occurredAt: deletion.deletedAt,
  });
  const tombstone: AggregateState = state
    ? { ...state, deleted: true, deletedAt: deletion.deletedAt }
    : {
        version: deletion.deletedAt,
        fingerprint: '',
        fields: {},
        deleted: true,
        deletedAt: deletion.deletedAt,
      };
  return { events: [deletion.event(metadata)], state: tombstone };
}
