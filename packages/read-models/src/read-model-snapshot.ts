import type { Db } from 'mongodb';
import { collectionsFor } from '@cdp/read-models';

/** Every read-model document of a generation, sorted by id: two generations compare with toEqual. */
export async function readModelSnapshot(db: Db, suffix: string) {
  const names = collectionsFor(suffix);
  const all = async (name: string) =>
    (await db.collection<{ _id: string }>(name).find({}).toArray()).sort((a, b) =>
      a._id.localeCompare(b._id),
    );
  return {
    orders: await all(names.orders),
    customers: await all(names.customers),
    buyerEntries: await all(names.buyerEntries),
    products: await all(names.products),
  };
}
