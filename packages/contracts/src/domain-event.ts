import { z } from 'zod';
import { customerDeletedSchema, customerUpsertedSchema } from './customer-events';
import {
  orderCancelledSchema,
  orderCreatedSchema,
  orderDeletedSchema,
  orderUpdatedSchema,
  paymentStatusChangedSchema,
} from './order-events';
import { productDeletedSchema, productUpsertedSchema } from './product-events';

/** Every domain event with the stream (topic kind) it lives on; the single list other modules derive from. */
export const eventCatalog = {
  OrderCreated: { schema: orderCreatedSchema, stream: 'orders' },
  OrderUpdated: { schema: orderUpdatedSchema, stream: 'orders' },
  PaymentStatusChanged: { schema: paymentStatusChangedSchema, stream: 'orders' },
  OrderCancelled: { schema: orderCancelledSchema, stream: 'orders' },
  OrderDeleted: { schema: orderDeletedSchema, stream: 'orders' },
  CustomerUpserted: { schema: customerUpsertedSchema, stream: 'customers' },
  CustomerDeleted: { schema: customerDeletedSchema, stream: 'customers' },
  ProductUpserted: { schema: productUpsertedSchema, stream: 'products' },
  ProductDeleted: { schema: productDeletedSchema, stream: 'products' },
} as const;

export type EventType = keyof typeof eventCatalog;
export const eventTypes = Object.keys(eventCatalog) as EventType[];

export const domainEventSchema = z.discriminatedUnion('type', [
  orderCreatedSchema,
  orderUpdatedSchema,
  paymentStatusChangedSchema,
  orderCancelledSchema,
  orderDeletedSchema,
  customerUpsertedSchema,
  customerDeletedSchema,
  productUpsertedSchema,
  productDeletedSchema,
]);
export type DomainEvent = z.infer<typeof domainEventSchema>;

/**
 * Each event type's current schema version: the highest `schemas/avro/published/<Type>.v<N>.avsc`,
 * bumped when that type's Avro schema changes. v2 of the order events: `OrderSnapshot.billingAddress`.
 */
export const schemaVersions: Readonly<Record<EventType, number>> = {
  OrderCreated: 2,
  OrderUpdated: 2,
  PaymentStatusChanged: 2,
  OrderCancelled: 2,
  OrderDeleted: 1,
  CustomerUpserted: 1,
  CustomerDeleted: 1,
  ProductUpserted: 1,
  ProductDeleted: 1,
};
