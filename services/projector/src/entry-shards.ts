import type { Collection } from 'mongodb';
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
import { entriesDiff, withChange, type Entries } from './contribution-entries';

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
 * What a sharded buyer's write did: its shards are written (after a crash before the profile is,
 * the next write of the buyer reads them and finds the profile's sums behind them); the profile's
 * update is the caller's to write, null when its sums already say so.
 */
export interface ShardedWrite {
  profileUpdate: { $set: Record<string, unknown>; $unset?: Record<string, ''> } | null;
  /** Every shard's sums after the write. */
  shards: Record<string, EntryShardSums>;
  orders: number;
}

/** Deletes every shard of a buyer (`id`: the profile's), as a rebuild of the buyer does. */
export async function deleteBuyerEntries(entryDocs: Collection<BuyerEntriesDoc>, id: string): Promise<void> {
  // One `_id` each: FerretDB scans the collection for an `$in`.
  for (let shard = 0; shard < ENTRY_SHARDS; shard++)
    await entryDocs.deleteOne({ _id: buyerEntriesDocId(id, shard) });
}

async function readShard(entryDocs: Collection<BuyerEntriesDoc>, buyer: Buyer, shard: number) {
  // One `_id` lookup each: FerretDB scans the collection for an `$in`.
  const doc = await entryDocs.findOne(
    { _id: buyerEntriesDocId(buyer.id, shard) },
    { projection: { entries: 1 } },
  );
  return doc?.entries ?? null;
}

/** Takes a shard from `stored` (null: no document) to `listed`; nothing when they agree. */
async function writeShard(
  entryDocs: Collection<BuyerEntriesDoc>,
  buyer: Buyer,
  shard: number,
  stored: Entries | null,
  listed: Entries,
): Promise<void> {
  const _id = buyerEntriesDocId(buyer.id, shard);
  const empty = Object.keys(listed).length === 0;
  if (stored === null) {
    if (empty) return;
    const document = { _id, tenantId: buyer.tenantId, customerId: buyer.buyerId, shard, entries: listed };
    await entryDocs.replaceOne({ _id }, document, { upsert: true });
    return;
  }
  // An emptied shard goes: what is stored depends on the entries alone, not on their history.
  if (empty) {
    await entryDocs.deleteOne({ _id });
    return;
  }
  const { $set, $unset } = entriesDiff('entries', stored, listed);
  if (Object.keys($set).length === 0 && !$unset) return;
  await entryDocs.updateOne({ _id }, { $set, ...($unset && { $unset }) });
}

/**
 * Writes a buyer's whole entry list to shards: when it outgrows the profile, or when settling
 * derives it whole from the orders. Every shard is read, so what an earlier, interrupted write or
 * an older life of the buyer left there is taken out; one at a time, so the list is held once, not
 * again with every shard's stored entries. `profile` is the stored one (null: none yet).
 */
export async function writeWholeList(
  entryDocs: Collection<BuyerEntriesDoc>,
  buyer: Buyer,
  listed: Entries,
  profile: Pick<CustomerDoc, 'entryShards' | 'orderContributions'> | null,
): Promise<ShardedWrite> {
  const idsByShard = Array.from({ length: ENTRY_SHARDS }, (): string[] => []);
  for (const orderId of Object.keys(listed)) idsByShard[shardOf(orderId)]!.push(orderId);
  const shards: Record<string, EntryShardSums> = {};
  for (const [shard, ids] of idsByShard.entries()) {
    const entries: Entries = {};
    for (const orderId of ids) entries[orderId] = listed[orderId]!;
    await writeShard(entryDocs, buyer, shard, await readShard(entryDocs, buyer, shard), entries);
    shards[String(shard)] = entryShardSums(entries);
  }
  return {
    profileUpdate: profileUpdate(profile?.entryShards, shards, profile?.orderContributions !== undefined),
    shards,
    orders: Object.keys(listed).length,
  };
}

/** Writes a change of a sharded buyer's orders: only their shards are read and written. */
export async function writeShardedChange(
  entryDocs: Collection<BuyerEntriesDoc>,
  buyer: Buyer,
  storedShards: Record<string, EntryShardSums>,
  change: { listed: Map<string, OrderContribution>; unlisted: Set<string> },
): Promise<ShardedWrite> {
  const touched = new Map<number, { listed: Map<string, OrderContribution>; unlisted: Set<string> }>();
  const of = (orderId: string) => {
    const shard = shardOf(orderId);
    const changed = touched.get(shard) ?? { listed: new Map(), unlisted: new Set() };
    touched.set(shard, changed);
    return changed;
  };
  for (const [orderId, entry] of change.listed) of(orderId).listed.set(orderId, entry);
  for (const orderId of change.unlisted) of(orderId).unlisted.add(orderId);
  const shards = { ...storedShards };
  // One at a time: a rebuild's kept change can touch every shard, and the list is held once.
  for (const [shard, changed] of touched) {
    const stored = await readShard(entryDocs, buyer, shard);
    const listed = withChange(stored ?? {}, changed);
    await writeShard(entryDocs, buyer, shard, stored, listed);
    shards[String(shard)] = entryShardSums(listed);
  }
  return {
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
