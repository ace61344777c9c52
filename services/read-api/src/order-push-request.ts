import { z } from 'zod';
import { COMMAND_ID_ATTRIBUTE, type HaravanRequest } from '@cdp/commands';
import { nonNegativeMoneySchema, normalizePhone } from '@cdp/contracts';
import { splitName } from './haravan-push-request';

const text = z.string().trim().min(1).max(255);
const phone = z.string().refine((raw) => normalizePhone(raw) !== null, 'not a phone number');

const lineItem = z
  .strictObject({
    variantId: z.string().regex(/^\d+$/, 'a Haravan variant id').optional(),
    title: text.optional(),
    price: nonNegativeMoneySchema.optional(),
    quantity: z.number().int().positive().max(100_000),
    sku: text.optional(),
  })
  .refine((li) => li.variantId !== undefined || (li.title !== undefined && li.price !== undefined), {
    message: 'needs a variantId, or a title and a price',
  });

const shippingAddress = z.strictObject({
  name: text.optional(),
  phone: phone.optional(),
  address1: text,
  address2: text.optional(),
  ward: text.optional(),
  district: text.optional(),
  province: text.optional(),
});

/** An order made in the CDP (R23). */
export const orderInputSchema = z.strictObject({
  pushToHaravan: z.literal(true, {
    error: 'must be true: the CDP keeps orders as Haravan has them, so an order is created by pushing it',
  }),
  customerId: z
    .string()
    .min(1)
    .optional()
    .describe('the buyer: a profile with a Haravan id, or one pushed before'),
  email: z.email().optional(),
  lineItems: z.array(lineItem).min(1).max(250),
  shippingAddress: shippingAddress.optional(),
  shippingPrice: nonNegativeMoneySchema.optional(),
  financialStatus: z.enum(['pending', 'paid']).default('pending'),
  note: z.string().max(5000).optional(),
  tags: z.array(text).max(50).optional(),
});
export type OrderInput = z.output<typeof orderInputSchema>;

/** Haravan's `POST /com/orders.json` for the order, its buyer given by Haravan id, marked with its command. */
export function orderPushRequest(
  input: OrderInput,
  buyerHaravanId: string | null,
  commandId: string,
): HaravanRequest {
  const a = input.shippingAddress;
  return {
    method: 'POST',
    path: 'orders.json',
    topic: 'orders/create',
    body: {
      order: {
        ...(buyerHaravanId === null ? {} : { customer: { id: Number(buyerHaravanId) } }),
        ...(input.email === undefined ? {} : { email: input.email }),
        line_items: input.lineItems.map((li) => ({
          ...(li.variantId === undefined ? {} : { variant_id: Number(li.variantId) }),
          ...(li.title === undefined ? {} : { title: li.title }),
          ...(li.price === undefined ? {} : { price: Number(li.price) }),
          ...(li.sku === undefined ? {} : { sku: li.sku }),
          quantity: li.quantity,
        })),
        ...(a === undefined
          ? {}
          : {
              shipping_address: {
                ...(a.name === undefined ? {} : splitName(a.name)),
                phone: a.phone ?? null,
                address1: a.address1,
                address2: a.address2 ?? null,
                ward: a.ward ?? null,
                district: a.district ?? null,
                province: a.province ?? null,
              },
            }),
        ...(input.shippingPrice === undefined
          ? {}
          : { shipping_lines: [{ title: 'Shipping', price: Number(input.shippingPrice) }] }),
        financial_status: input.financialStatus,
        ...(input.note === undefined ? {} : { note: input.note }),
        note_attributes: [{ name: COMMAND_ID_ATTRIBUTE, value: commandId }],
        ...(input.tags === undefined ? {} : { tags: input.tags.join(', ') }),
      },
    },
  };
}
