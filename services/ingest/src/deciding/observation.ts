import type {
  CustomerSnapshot,
  DomainEvent,
  EventSource,
  OrderSnapshot,
  ProductSnapshot,
} from '@cdp/contracts';
import type { AggregateState } from './aggregate-state';

/**
 * What one raw record says about one aggregate: its current snapshot, or that it is gone.
 * `existsAt`: the time the shop's own API answered the snapshot for the deletion sweep, proof that
 * the record exists then (see decide's revival).
 */
export type Observation =
  /** `buyerVersion`: the `updated_at` of the customer embedded in the order, when it has one. */
  | { kind: 'order'; snapshot: OrderSnapshot; buyerVersion?: string | null; existsAt?: string }
  | { kind: 'order-deleted'; orderId: string; deletedAt: string }
  | { kind: 'customer'; snapshot: CustomerSnapshot; existsAt?: string }
  | { kind: 'customer-deleted'; customerId: string; deletedAt: string }
  | { kind: 'product'; snapshot: ProductSnapshot; existsAt?: string }
  | { kind: 'product-deleted'; productId: string; deletedAt: string };

export interface DecisionContext {
  tenantId: string;
  source: EventSource;
  causationId: string;
  recordedAt: string;
}

export interface Decision {
  events: DomainEvent[];
  /** undefined = nothing to store (the observation changed nothing). */
  state: AggregateState | undefined;
}
