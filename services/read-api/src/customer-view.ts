import { z } from 'zod';
import { addressSchema, moneySchema } from '@cdp/contracts';
import type { CustomerDoc } from '@cdp/read-models';

const timestamp = z.iso.datetime({ offset: true }).nullable();

/** The public profile (R13). Receivers (R12) have no Haravan id and never revenue or orders. */
export const customerViewSchema = z.strictObject({
  customerId: z.string().describe('the Haravan id for buyers, `receiver:…` for receivers'),
  haravanId: z.string().nullable(),
  isBuyer: z.boolean(),
  source: z.literal('Haravan'),
  name: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable().describe('E.164; the default address phone when the profile has none (R8)'),
  gender: z.number().int().nullable().describe('1 male, 0 female, as Haravan encodes it'),
  birthday: z.string().nullable(),
  tags: z.array(z.string()),
  acceptsMarketing: z.boolean(),
  state: z.string().nullable(),
  note: z.string().nullable(),
  addresses: z.array(addressSchema),
  revenue: moneySchema,
  totalOrders: z.number().int(),
  createdAt: timestamp,
  updatedAt: timestamp,
  deleted: z.boolean(),
});
export type CustomerView = z.infer<typeof customerViewSchema>;

/**
 * Fields the projector sets only on insert may be absent: FerretDB drops null and empty-array
 * values from an upsert's `$setOnInsert` (receivers, and buyers first met through an order).
 */
export const customerView = (doc: CustomerDoc): CustomerView => ({
  customerId: doc.customerId,
  haravanId: doc.haravanId ?? null,
  isBuyer: doc.isBuyer,
  source: doc.source,
  name: doc.name ?? null,
  firstName: doc.firstName ?? null,
  lastName: doc.lastName ?? null,
  email: doc.email ?? null,
  phone: doc.phone ?? null,
  gender: doc.gender ?? null,
  birthday: doc.birthday ?? null,
  tags: doc.tags ?? [],
  acceptsMarketing: doc.acceptsMarketing ?? false,
  state: doc.state ?? null,
  note: doc.note ?? null,
  addresses: doc.addresses ?? [],
  revenue: doc.revenue,
  totalOrders: doc.totalOrders,
  createdAt: doc.createdAt ?? null,
  updatedAt: doc.updatedAt ?? null,
  deleted: doc.deleted,
});
