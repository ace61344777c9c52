import type { Observation } from './observation';

export type AggregateKind = 'order' | 'customer' | 'product';

/** Identity of the aggregate an observation is about: `${tenantId}:order:${id}`; also the Kafka key. */
export function aggregateKey(tenantId: string, observation: Observation): string {
  const { kind, id } = aggregateOf(observation);
  return `${tenantId}:${kind}:${id}`;
}

export function aggregateOf(observation: Observation): { kind: AggregateKind; id: string } {
  switch (observation.kind) {
    case 'order':
      return { kind: 'order', id: observation.snapshot.orderId };
    case 'order-deleted':
      return { kind: 'order', id: observation.orderId };
    case 'customer':
      return { kind: 'customer', id: observation.snapshot.customerId };
    case 'customer-deleted':
      return { kind: 'customer', id: observation.customerId };
    case 'product':
      return { kind: 'product', id: observation.snapshot.productId };
    case 'product-deleted':
      return { kind: 'product', id: observation.productId };
  }
}
