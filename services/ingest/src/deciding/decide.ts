import { aggregateKey } from './aggregate-key';
import type { AggregateState } from './aggregate-state';
import { decideDeletion } from './decide-deletion';
import { decideOrder } from './decide-order';
import { decideUpsert } from './decide-upsert';
import type { Decision, DecisionContext, Observation } from './observation';

/**
 * Known state + what Haravan now says → the domain events for what really changed, and the state
 * to remember. Pure: the same inputs always give the same events with the same ids.
 */
export function decide(
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
