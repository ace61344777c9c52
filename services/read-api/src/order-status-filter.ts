import type { Filter } from 'mongodb';
import type { OrderDoc } from '@cdp/read-models';
import type { OrderStatus } from './order-view';

const notCancelled = { 'order.cancelled': { $ne: true } };
const open = { ...notCancelled, 'order.closed': { $ne: true } };

/**
 * The orders `orderStatusOf` gives `status`, as a store filter: the same decision list, each
 * status excluding those decided before it.
 */
export function orderStatusFilter(status: OrderStatus): Filter<OrderDoc> {
  if (status === 'cancelled') return { 'order.cancelled': true };
  if (status === 'closed') return { ...notCancelled, 'order.closed': true };
  if (status === 'confirmed') return { ...open, 'order.fulfillmentStatus': null, 'order.confirmed': true };
  if (status === 'unconfirmed')
    return { ...open, 'order.fulfillmentStatus': null, 'order.confirmed': { $ne: true } };
  return { ...open, 'order.fulfillmentStatus': status };
}
