import { aggregateKey } from './aggregate-key';
import { sha256Hex } from './hashing';
import type { AggregateState } from './aggregate-state';
import { decideDeletion } from './decide-deletion';
import { decideOrder } from './decide-order';
import { decideUpsert } from './decide-upsert';
import type { Decision, DecisionContext, Observation } from './observation';

/**
 * How long after a deletion the shop's API must still show the record for the deletion to be taken
 * back: well past any lag between Haravan's deletion and its lists and reads.
 */
const REVIVAL_AFTER_MS = 60 * 60 * 1000;

/** Whether the shop showing a record at `shownAtMs` takes back its deletion at `deletedAt` (none: never). */
export const takesBackDeletion = (deletedAt: string | undefined, shownAtMs: number): boolean =>
  shownAtMs - Date.parse(deletedAt ?? '') >= REVIVAL_AFTER_MS;

/**
 * Known state + what Haravan now says → the domain events for what really changed, and the state
 * to remember. Pure: the same inputs always give the same events with the same ids.
 *
 * Revival: Haravan signs a webhook's body, not its topic, so a body re-posted under `…/delete`
 * deletes a live record. When the deletion sweep later finds the record in the shop's list and its
 * own GET answers it (`existsAt`), an hour or more after the deletion, the deletion is taken back:
 * the record is decided as first seen (OrderCreated, CustomerUpserted, ProductUpserted), with ids
 * of its new life, and a later real deletion is a new event too.
 */
export function decide(
  state: AggregateState | undefined,
  observation: Observation,
  ctx: DecisionContext,
): Decision {
  const existsAt = 'existsAt' in observation ? observation.existsAt : undefined;
  if (state?.deleted && existsAt !== undefined) {
    // A tombstone without its time (stored before it was kept) is never taken back.
    if (!takesBackDeletion(state.deletedAt, Date.parse(existsAt))) return { events: [], state: undefined };
    const revivals = (state.revivals ?? 0) + 1;
    const revived = decideObserved(undefined, observation, ctx);
    return {
      events: revived.events.map((event) => ({
        ...event,
        metadata: { ...event.metadata, eventId: sha256Hex(`${event.metadata.eventId}:revived-${revivals}`) },
      })),
      state: revived.state && { ...revived.state, revivals },
    };
  }
  const decision = decideObserved(state, observation, ctx);
  // A revived record keeps its count, so its next deletion has an id of its own.
  return state?.revivals && decision.state && decision.state.revivals === undefined
    ? { ...decision, state: { ...decision.state, revivals: state.revivals } }
    : decision;
}

function decideObserved(
  state: AggregateState | undefined,
  observation: Observation,
  ctx: DecisionContext,
): Decision {
  const key = aggregateKey(ctx.tenantId, observation);
  switch (observation.kind) {
    case 'order':
      return decideOrder(state, observation.snapshot, key, ctx, observation.buyerVersion ?? null);
    case 'customer': {
      const customer = observation.snapshot;
      return decideUpsert(
        state,
        {
          key,
          aggregateId: customer.customerId,
          snapshot: customer,
          type: 'CustomerUpserted',
          event: (metadata) => ({ type: 'CustomerUpserted', data: { customer }, metadata }),
        },
        ctx,
      );
    }
    case 'product': {
      const product = observation.snapshot;
      return decideUpsert(
        state,
        {
          key,
          aggregateId: product.productId,
          snapshot: product,
          type: 'ProductUpserted',
          event: (metadata) => ({ type: 'ProductUpserted', data: { product }, metadata }),
        },
        ctx,
      );
    }
    case 'order-deleted': {
      const { orderId, deletedAt } = observation;
      return decideDeletion(
        state,
        {
          key,
          aggregateId: orderId,
          deletedAt,
          type: 'OrderDeleted',
          event: (metadata) => ({ type: 'OrderDeleted', data: { orderId, deletedAt }, metadata }),
        },
        ctx,
      );
    }
    case 'customer-deleted': {
      const { customerId, deletedAt } = observation;
      return decideDeletion(
        state,
        {
          key,
          aggregateId: customerId,
          deletedAt,
          type: 'CustomerDeleted',
          event: (metadata) => ({ type: 'CustomerDeleted', data: { customerId, deletedAt }, metadata }),
        },
        ctx,
      );
    }
    case 'product-deleted': {
      const { productId, deletedAt } = observation;
      return decideDeletion(
        state,
        {
          key,
          aggregateId: productId,
          deletedAt,
          type: 'ProductDeleted',
          event: (metadata) => ({ type: 'ProductDeleted', data: { productId, deletedAt }, metadata }),
        },
        ctx,
      );
    }
  }
}
