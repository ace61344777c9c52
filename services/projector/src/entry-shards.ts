import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import {
  buyerEntriesDocId,
  ENTRY_SHARDS,
  entriesOfShards,
  entryShardSums,
  sameShardSums,
  shardOf,
  totalsOfShards,
  type BuyerEntriesDoc,
  type CustomerDoc,
  type EntryShardSums,
  type OrderContribution,
} from '@cdp/read-models';
import { entriesDiff, type Entries } from './contribution-entries';

/**
 * Entries a profile lists itself (~2 MB of MongoDB's 16 MiB); a buyer with more has them in shards.
 * A sharded buyer stays sharded.
 */
export const INLINE_ENTRIES = 20_000;

export interface Buyer {
  /** The profile's document id. */
  id: string;
  tenantId: string;
  buyerId: string;
}

/**
 * What a sharded buyer's write does: the shards' writes, which go first (after a crash between
 * the two, the next write of the buyer reads the shards and finds the profile's sums behind them),
 * then the profile's, null when its sums already say so.
 */
export interface ShardedWrite {
  shardOps: AnyBulkWriteOperation<BuyerEntriesDoc>[];
  profileUpdate: { $set: Record<string, unknown>; $unset?: Record<string, ''> } | null;
  /** Every shard's sums after the write. */
  shards: Record<string, EntryShardSums>;
  orders: number;
}

async function readShard(entryDocs: Collection<BuyerEntriesDoc>, buyer: Buyer, shard: number) {
  // One `_id` lookup each: FerretDB scans the collection for an `$in`.
  const doc = await entryDocs.findOne(
    { _id: buyerEntriesDocId(buyer.id, shard) },
    { projection: { entries: 1 } },
  );
  return doc?.entries ?? null;
}

/** The write taking a shard from `stored` (null: no document) to `listed`; null when they agree. */
function shardOp(
  buyer: Buyer,
  shard: number,
  stored: Entries | null,
  listed: Entries,
): AnyBulkWriteOperation<BuyerEntriesDoc> | null {
  const _id = buyerEntriesDocId(buyer.id, shard);
  if (stored === null) {
    if (Object.keys(listed).length === 0) return null;
    const document = { _id, tenantId: buyer.tenantId, customerId: buyer.buyerId, shard, entries: listed };
    return { replaceOne: { filter: { _id }, replacement: document, upsert: true } };
  }
  // An emptied shard goes: what is stored depends on the entries alone, not on their history.
  if (Object.keys(listed).length === 0) return { deleteOne: { filter: { _id } } };
  const { $set, $unset } = entriesDiff('entries', stored, listed);
  if (Object.keys($set).length === 0 && !$unset) return null;
  return { updateOne: { filter: { _id }, update: { $set, ...($unset && { $unset }) } } };
}

/**
 * A buyer's whole entry list written to shards: when it outgrows the profile, or when settling
 * derives it whole from the orders. Every shard is read, so what an earlier, interrupted write or
 * an older life of the buyer left there is taken out. `profile` is the stored one (null: none yet).
 */
export async function wholeListWrite(
  entryDocs: Collection<BuyerEntriesDoc>,
  buyer: Buyer,
  listed: Entries,
  profile: Pick<CustomerDoc, 'entryShards' | 'orderContributions'> | null,
): Promise<ShardedWrite> {
  const byShard = Array.from({ length: ENTRY_SHARDS }, (): Entries => ({}));
  for (const [orderId, entry] of Object.entries(listed)) byShard[shardOf(orderId)]![orderId] = entry;
  const stored = await Promise.all(byShard.map((_, shard) => readShard(entryDocs, buyer, shard)));
  const shardOps = byShard.flatMap((entries, shard) => shardOp(buyer, shard, stored[shard]!, entries) ?? []);
  const shards = Object.fromEntries(
    byShard.map((entries, shard) => [String(shard), entryShardSums(entries)]),
  );
  return {
    shardOps,
    profileUpdate: profileUpdate(profile?.entryShards, shards, profile?.orderContributions !== undefined),
    shards,
    orders: Object.keys(listed).length,
  };
}

/** A change of a sharded buyer's orders: only their shards are read and written. */
export async function shardedChangeWrite(
  entryDocs: Collection<BuyerEntriesDoc>,
  buyer: Buyer,
  storedShards: Record<string, EntryShardSums>,
  change: { listed: Map<string, OrderContribution>; unlisted: Set<string> },
): Promise<ShardedWrite> {
  const touched = new Map<number, { listed: [string, OrderContribution][]; unlisted: string[] }>();
  const of = (orderId: string) => {
    const shard = shardOf(orderId);
    const changed = touched.get(shard) ?? { listed: [], unlisted: [] };
    touched.set(shard, changed);
    return changed;
  };
  for (const entry of change.listed) of(entry[0]).listed.push(entry);
  for (const orderId of change.unlisted) of(orderId).unlisted.push(orderId);
  const shards = { ...storedShards };
  const shardOps = await Promise.all(
    [...touched].map(async ([shard, changed]) => {
      const stored = await readShard(entryDocs, buyer, shard);
      const listed: Entries = { ...stored };
      for (const [orderId, entry] of changed.listed) listed[orderId] = entry;
      for (const orderId of changed.unlisted) delete listed[orderId];
      shards[String(shard)] = entryShardSums(listed);
      return shardOp(buyer, shard, stored, listed);
    }),
  );
  return {
    shardOps: shardOps.filter((op) => op !== null),
    profileUpdate: profileUpdate(storedShards, shards, false),
    shards,
    orders: entriesOfShards(shards),
  };
}

/** The profile's sums and totals as `shards` give them; null when the stored ones already do. */
function profileUpdate(
  stored: Record<string, EntryShardSums> | undefined,
  shards: Record<string, EntryShardSums>,
  listsEntries: boolean,
): ShardedWrite['profileUpdate'] {
  const $unset = listsEntries ? { orderContributions: '' as const } : undefined;
  // A profile without sums gets the whole map: FerretDB's field-by-field comparison of maps
  // (`contribution-entries.ts`) cannot skip it, there being nothing stored to compare with.
  if (!stored) return { $set: { entryShards: shards, ...totalsOfShards(shards) }, ...($unset && { $unset }) };
  const $set: Record<string, unknown> = {};
  for (const [shard, sums] of Object.entries(shards))
    if (!sameShardSums(stored[shard], sums)) $set[`entryShards.${shard}`] = sums;
  if (Object.keys($set).length === 0 && !$unset) return null;
  return { $set: { ...$set, ...totalsOfShards(shards) }, ...($unset && { $unset }) };
}
