import type { Collection } from 'mongodb';
import { contributionsOf, type OrderContribution, type OrderDoc } from '@cdp/read-models';

/** An order written before `contributions` existed: its entry derived from the snapshot it keeps. */
export async function legacyContribution(
  orders: Collection<OrderDoc>,
  id: string,
): Promise<OrderContribution> {
  const order = await orders.findOne({ _id: id }, { projection: { order: 1, deleted: 1 } });
  if (!order) throw new Error(`order ${id} vanished while its entry was derived`);
  return contributionsOf(order.order, order.deleted);
}
