import { z } from 'zod';
import { eventMetadataSchema } from './event-metadata';
import { financialStatuses, orderSnapshotSchema } from './order-snapshot';

const orderEvent = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.strictObject({ type: z.literal(type), data, metadata: eventMetadataSchema });

export const orderCreatedSchema = orderEvent('OrderCreated', z.strictObject({ order: orderSnapshotSchema }));

/** Any change that is not payment, cancellation or deletion: fulfilment, address, items, notes. */
export const orderUpdatedSchema = orderEvent(
  'OrderUpdated',
  z.strictObject({ order: orderSnapshotSchema, changedFields: z.array(z.string()) }),
);

export const paymentStatusChangedSchema = orderEvent(
  'PaymentStatusChanged',
  z.strictObject({
    order: orderSnapshotSchema,
    previousStatus: z.enum(financialStatuses),
    status: z.enum(financialStatuses),
  }),
);

export const orderCancelledSchema = orderEvent(
  'OrderCancelled',
  z.strictObject({ order: orderSnapshotSchema, reason: z.string().nullable() }),
);

export const orderDeletedSchema = orderEvent(
  'OrderDeleted',
  z.strictObject({ orderId: z.string(), deletedAt: z.iso.datetime({ offset: true }) }),
);
