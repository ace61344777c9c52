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

/** An order's entry as read with `contributions` and `countsAsOrder`, or derived if it predates them. */
export const storedEntry = (
  orders: Collection<OrderDoc>,
  o: Pick<OrderDoc, '_id' | 'contributions' | 'countsAsOrder'>,
): Promise<OrderContribution> =>
  o.contributions
    ? Promise.resolve({ contributions: o.contributions, countsAsOrder: o.countsAsOrder })
    : legacyContribution(orders, o._id);
