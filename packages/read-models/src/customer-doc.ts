import { fromUnits, toUnits, type Address } from '@cdp/contracts';
import { revenuePolicies, type ByPolicy, type RevenuePolicy } from './revenue-policy';
import type { Position } from './position';
import type { EntryShardSums } from './buyer-entries';

/**
 * One CDP contact. Buyers are keyed by Haravan id (R6, R7: never merged by phone); receivers (R12)
 * have no Haravan id and are keyed by normalised phone, then name. Revenue and order count are
 * derived from the buyer's orders' latest states, never accumulated.
 */
export interface CustomerDoc {
  _id: string;
  tenantId: string;
  customerId: string;
  haravanId: string | null;
  isBuyer: boolean;
  source: 'Haravan';
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  emailLower: string | null;
  nameLower: string | null;
  /** `nameLower` without diacritics; absent from profiles written before it was kept. */
  nameFolded?: string | null;
  /** E.164 (+84…); R8: falls back to the default address's phone. */
  phone: string | null;
  gender: number | null;
  birthday: string | null;
  tags: string[];
  acceptsMarketing: boolean;
  state: string | null;
  note: string | null;
  addresses: Address[];
  createdAt: string | null;
  updatedAt: string | null;
  deleted: boolean;
  /** Revenue under each revenue policy; the tenant's setting picks the one shown. */
  revenueByPolicy: ByPolicy;
  totalOrders: number;
  /**
   * Buyers: what each of their orders' latest state adds, by order id; the totals are its sum, so
   * they need no scan of the orders. Absent on documents written before it existed, and on a buyer
   * whose entries are kept in shards instead (`entryShards`).
   */
  orderContributions?: Record<string, OrderContribution>;
  /**
   * Buyers with too many orders for one document (MongoDB's 16 MiB): their entries are kept in
   * shard documents (`buyer-entries.ts`), and this lists every shard's sums; the totals are theirs.
   */
  entryShards?: Record<string, EntryShardSums>;
  /** Receivers only: the order whose shipping address the contact shows, as its creation time then its id. */
  receiverSince?: string;
  /** Position of the last customer event applied (profile fields). */
  position: Position | null;
}

export interface OrderContribution {
  contributions: ByPolicy;
  countsAsOrder: boolean;
}

export const sameContribution = (a: OrderContribution | undefined, b: OrderContribution): boolean =>
  a !== undefined &&
  a.countsAsOrder === b.countsAsOrder &&
  revenuePolicies.every((p) => a.contributions[p] === b.contributions[p]);

export interface Totals {
  revenueByPolicy: ByPolicy;
  totalOrders: number;
}

/** Totals added up, each policy's revenue in exact units. */
export function sumOfTotals(parts: Iterable<Totals>): Totals {
  const revenue = Object.fromEntries(revenuePolicies.map((p) => [p, 0n])) as Record<RevenuePolicy, bigint>;
  let totalOrders = 0;
  for (const part of parts) {
    for (const p of revenuePolicies) revenue[p] += toUnits(part.revenueByPolicy[p]);
    totalOrders += part.totalOrders;
  }
  const revenueByPolicy = Object.fromEntries(
    revenuePolicies.map((p) => [p, fromUnits(revenue[p])]),
  ) as ByPolicy;
  return { revenueByPolicy, totalOrders };
}

/** A buyer's revenue and order count: the sum over their orders' contributions, never an increment. */
export const totalsOf = (orders: Record<string, OrderContribution>): Totals =>
  sumOfTotals(
    Object.values(orders).map((o) => ({
      revenueByPolicy: o.contributions,
      totalOrders: o.countsAsOrder ? 1 : 0,
    })),
  );

export const customerDocId = (tenantId: string, customerId: string) => `${tenantId}:${customerId}`;

/** Receivers have no Haravan id; their public id comes from their key, so it survives rebuilds. */
export const receiverIdOf = (receiverKey: string): string =>
  `receiver:${Buffer.from(receiverKey).toString('base64url')}`;
