import { z } from 'zod';
import { addressSchema, moneySchema } from '@cdp/contracts';
import type { CustomerDoc, RevenuePolicy } from '@cdp/read-models';

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
  deleted: z
    .boolean()
    .describe('deleted in Haravan: served with its ids and figures, its personal data left out'),
});
export type CustomerView = z.infer<typeof customerViewSchema>;

/**
 * What the view needs of a profile: the store leaves out the rest, above all a buyer's per-order
 * contributions (or their shards' sums), which grow with every order they place.
 */
export const PROFILE_PROJECTION = {
  orderContributions: 0,
  entryShards: 0,
  receiverSince: 0,
  position: 0,
  nameLower: 0,
  nameFolded: 0,
  emailLower: 0,
} as const;
export type ProfileFields = Omit<CustomerDoc, keyof typeof PROFILE_PROJECTION>;

/**
 * A deleted profile's personal data, left out of what is served (the store keeps it: a deletion
 * taken back shows the profile again). Its figures and ids stay, so its orders still add up.
 */
const ERASED = {
  name: null,
  firstName: null,
  lastName: null,
  email: null,
  phone: null,
  gender: null,
  birthday: null,
  note: null,
  addresses: [],
} satisfies Partial<CustomerView>;

export const customerView = (doc: ProfileFields, policy: RevenuePolicy): CustomerView => ({
  ...profileView(doc, policy),
  ...(doc.deleted && ERASED),
});

/** A profile written before figures were kept per policy (read models of an older format) had one. */
const revenueOf = (doc: ProfileFields, policy: RevenuePolicy): string => {
  const stored = doc as Partial<CustomerDoc> & { revenue?: string };
  return stored.revenueByPolicy?.[policy] ?? stored.revenue ?? '0';
};

const profileView = (doc: ProfileFields, policy: RevenuePolicy): CustomerView => ({
  customerId: doc.customerId,
  haravanId: doc.haravanId,
  isBuyer: doc.isBuyer,
  source: doc.source,
  name: doc.name,
  firstName: doc.firstName,
  lastName: doc.lastName,
  email: doc.email,
  phone: doc.phone,
  gender: doc.gender,
  birthday: doc.birthday,
  tags: doc.tags,
  acceptsMarketing: doc.acceptsMarketing,
  state: doc.state,
  note: doc.note,
  addresses: doc.addresses,
  revenue: revenueOf(doc, policy),
  totalOrders: doc.totalOrders,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
  deleted: doc.deleted,
});
