import { z } from 'zod';
import { addressSchema } from './address';
import { moneySchema } from './money';

export const financialStatuses = [
  'pending',
  'authorized',
  'partially_paid',
  'paid',
  'partially_refunded',
  'refunded',
  'voided',
  'unknown',
] as const;
export type FinancialStatus = (typeof financialStatuses)[number];

/**
 * What Haravan's fulfilment statuses (documented, as sent, or localised) are normalised to; a value
 * none of them names is kept as sent, lower-cased, so `fulfillmentStatus` stays a string.
 */
export const fulfillmentStatuses = ['fulfilled', 'partial', 'notfulfilled', 'restocked'] as const;
export type FulfillmentStatus = (typeof fulfillmentStatuses)[number];

export const lineItemSchema = z.strictObject({
  lineItemId: z.string(),
  productId: z.string().nullable(),
  variantId: z.string().nullable(),
  sku: z.string().nullable(),
  title: z.string(),
  variantTitle: z.string().nullable(),
  quantity: z.int32(),
  price: moneySchema,
  totalDiscount: moneySchema,
});

export const shippingLineSchema = z.strictObject({
  code: z.string().nullable(),
  title: z.string().nullable(),
  price: moneySchema,
});

export const discountCodeSchema = z.strictObject({
  code: z.string(),
  amount: moneySchema,
  type: z.string().nullable(),
});

export const orderBuyerSchema = z.strictObject({
  customerId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
});

/** The CDP's normalised view of one Haravan order at one `updatedAt` (its version). */
export const orderSnapshotSchema = z.strictObject({
  orderId: z.string(),
  orderNumber: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  financialStatus: z.enum(financialStatuses),
  /** Haravan's raw value, kept because it can be localised or odd (`partiallypaid`). */
  financialStatusRaw: z.string().nullable(),
  fulfillmentStatus: z.string().nullable(),
  cancelled: z.boolean(),
  cancelledAt: z.iso.datetime({ offset: true }).nullable(),
  cancelReason: z.string().nullable(),
  confirmed: z.boolean(),
  closed: z.boolean(),
  currency: z.string(),
  totalPrice: moneySchema,
  subtotalPrice: moneySchema,
  totalDiscounts: moneySchema,
  totalShipping: moneySchema,
  totalRefunded: moneySchema,
  locationId: z.string().nullable(),
  locationName: z.string().nullable(),
  sourceName: z.string().nullable(),
  buyer: orderBuyerSchema.nullable(),
  /**
   * The buyer's address as stated when the order was placed; unlike `buyer` (Haravan's current
   * customer record) it does not follow later edits. Added in schema v2: older events decode as null.
   */
  billingAddress: addressSchema.nullable().default(null),
  shippingAddress: addressSchema.nullable(),
  lineItems: z.array(lineItemSchema),
  shippingLines: z.array(shippingLineSchema),
  discountCodes: z.array(discountCodeSchema),
});
export type OrderSnapshot = z.infer<typeof orderSnapshotSchema>;
