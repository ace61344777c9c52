import { customerPhone, type CustomerSnapshot } from '@cdp/contracts';
import {
  foldedText,
  noRevenue,
  searchableText,
  totalsOf,
  totalsOfShards,
  type CustomerDoc,
  type EntryShardSums,
  type OrderContribution,
} from '@cdp/read-models';

/**
 * A contact first met through an order, complete with empty fields; its own events fill the rest.
 * Inserted whole: FerretDB drops null and empty-array values given in an upsert's `$setOnInsert`.
 */
export const emptyContact = (
  tenantId: string,
  customerId: string,
  haravanId: string | null,
  isBuyer: boolean,
): Omit<CustomerDoc, '_id'> => ({
  tenantId,
  customerId,
  haravanId,
  isBuyer,
  source: 'Haravan' as const,
  firstName: null,
  lastName: null,
  email: null,
  emailLower: null,
  gender: null,
  birthday: null,
  tags: [],
  acceptsMarketing: false,
  state: null,
  note: null,
  createdAt: null,
  updatedAt: null,
  deleted: false,
  name: null,
  nameLower: null,
  nameFolded: null,
  phone: null,
  addresses: [],
  revenueByPolicy: noRevenue,
  totalOrders: 0,
  orderContributions: {},
  position: null,
});

export function profileOf(c: CustomerSnapshot) {
  return {
    name: c.name,
    nameLower: c.name === null ? null : searchableText(c.name),
    nameFolded: c.name === null ? null : foldedText(c.name),
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    emailLower: c.email?.trim().toLowerCase() ?? null,
    // R8: an empty phone, or a placeholder, falls back to the default address's. Judged here too, as
    // events decided before ingest judged placeholders carry 0000000000 as the customer's phone.
    phone: customerPhone(c.phone) ?? customerPhone(c.addresses.find((a) => a.isDefault)?.phone),
    gender: c.gender,
    birthday: c.birthday,
    tags: c.tags,
    acceptsMarketing: c.acceptsMarketing,
    state: c.state,
    note: c.note,
    addresses: c.addresses,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** A buyer first met through its orders, listing their entries itself, with their totals. */
export const buyerListing = (
  tenantId: string,
  buyerId: string,
  listed: Record<string, OrderContribution>,
): Omit<CustomerDoc, '_id'> => ({
  ...emptyContact(tenantId, buyerId, buyerId, true),
  orderContributions: listed,
  ...totalsOf(listed),
});

/** A buyer first met through its orders, their entries kept in shards: it lists the shards' sums. */
export function buyerOfShards(
  tenantId: string,
  buyerId: string,
  shards: Record<string, EntryShardSums>,
): Omit<CustomerDoc, '_id'> {
  const { orderContributions: _listsNone, ...contact } = emptyContact(tenantId, buyerId, buyerId, true);
  return { ...contact, entryShards: shards, ...totalsOfShards(shards) };
}

/** What a rebuild's writer remembers of a customer document it wrote: what its later writes derive from. */
export interface CustomerMemo {
  /** Absent on a buyer whose entries are kept in shards, and on a document from before entries. */
  orderContributions?: Record<string, OrderContribution>;
  entryShards?: Record<string, EntryShardSums>;
  receiverSince: string | undefined;
}
