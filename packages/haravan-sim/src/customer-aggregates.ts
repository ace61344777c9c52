import type { SimOrder } from './model.js';
import { netPaid } from './order-totals.js';
import { orderName } from './payload-order.js';
import type { ShopCore } from './shop-core.js';

/**
 * Haravan keeps orders_count / total_spent / last_order_* on the customer; when they move, the
 * customer changes too (new `updated_at`, a customers/update webhook), as on Shopify.
 */
export function refreshCustomerAggregates(core: ShopCore, customerId: number | null, at: number): void {
  if (customerId === null) return;
  const customer = core.customers.get(customerId);
  if (!customer) return;
  const orders = [...(core.ordersByCustomer.get(customerId) ?? [])]
    .map((id) => core.orders.get(id))
    .filter((o): o is SimOrder => o !== undefined);
  const last = orders.reduce<SimOrder | undefined>(
    (newest, o) =>
      !newest ||
      o.createdAt.ms > newest.createdAt.ms ||
      (o.createdAt.ms === newest.createdAt.ms && o.id > newest.id)
        ? o
        : newest,
    undefined,
  );
  const next = {
    ordersCount: orders.length,
    totalSpent: orders.filter((o) => o.cancelledAt === null).reduce((acc, o) => acc + netPaid(o), 0n),
    lastOrder: last ? { id: last.id, name: orderName(last), date: last.createdAt.text } : null,
  };
  const unchanged =
    next.ordersCount === customer.ordersCount &&
    next.totalSpent === customer.totalSpent &&
    next.lastOrder?.id === customer.lastOrder?.id;
  if (unchanged) return;
  Object.assign(customer, next);
  customer.updatedAt = core.stampAt(at, customer.updatedAt);
  core.emitCustomer('customers/update', customer);
}
