import { revenuePolicies, type ByPolicy } from './revenue-policy';
import { sumOfTotals, totalsOf, type OrderContribution, type Totals } from './customer-doc';

/**
 * A buyer's entries are spread over this many shard documents once they are too many for the
 * profile: each shard holds the orders whose id hashes to it, so a buyer can list ~64 times what
 * one document can (about 9 million orders) and a change of one order rewrites one shard.
 */
export const ENTRY_SHARDS = 64;

/** One shard of a buyer's entries: what each of its orders' latest state adds, by order id. */
export interface BuyerEntriesDoc {
  _id: string;
  tenantId: string;
  customerId: string;
  shard: number;
  entries: Record<string, OrderContribution>;
}

/** A shard's sums, as its buyer's profile lists them. */
export interface EntryShardSums {
  entries: number;
  revenueByPolicy: ByPolicy;
  totalOrders: number;
}

export const buyerEntriesDocId = (customerDocId: string, shard: number) => `${customerDocId}#${shard}`;

/**
 * A stable 32-bit hash of a text: FNV-1a, mixed by murmur3's finalizer so that sequential ids
 * spread evenly modulo a power of two (a multiply-by-31 hash mod 64 sees only digit sums: 1.8 times
 * the mean in one shard over a million sequential ids; this, 1.02).
 */
export function spreadHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** Which shard an order's entry is kept in. */
export const shardOf = (orderId: string): number => spreadHash(orderId) % ENTRY_SHARDS;

export const entryShardSums = (entries: Record<string, OrderContribution>): EntryShardSums => ({
  entries: Object.keys(entries).length,
  ...totalsOf(entries),
});

export const sameShardSums = (a: EntryShardSums | undefined, b: EntryShardSums): boolean =>
  a !== undefined &&
  a.entries === b.entries &&
  a.totalOrders === b.totalOrders &&
  revenuePolicies.every((p) => a.revenueByPolicy[p] === b.revenueByPolicy[p]);

/** A sharded buyer's revenue and order count: the sum of its shards' sums, never an increment. */
export const totalsOfShards = (shards: Record<string, EntryShardSums>): Totals =>
  sumOfTotals(Object.values(shards));

/** How many orders a sharded buyer lists. */
export const entriesOfShards = (shards: Record<string, EntryShardSums>): number =>
  Object.values(shards).reduce((sum, shard) => sum + shard.entries, 0);
