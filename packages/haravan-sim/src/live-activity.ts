import { createRng } from './prng.js';
import type { SimShop } from './sim-shop.js';

/** One random, plausible change to a running shop (for the CLI's live mode); returns what it did. */
export type LiveStep = () => string;

export function createLiveActivity(shop: SimShop, seed: number): LiveStep {
  const rng = createRng(seed).fork('live');
  const ids = (kind: 'orders' | 'customers' | 'products') => shop.records(kind).map((r) => r.id);
  const openOrders = () =>
    shop
      .records('orders')
      .filter((r) => r.orderState && !r.orderState.cancelled && !r.orderState.closed)
      .map((r) => r.id);

  return () => {
    const roll = rng.next();
    const customers = ids('customers');
    if (roll < 0.1 || customers.length === 0) return `customers/create ${shop.createCustomer().id}`;
    if (roll < 0.45) {
      const receiver = rng.chance(0.15) ? {} : undefined;
      const order = shop.createOrder({
        customerId: rng.pick(customers),
        receiver,
        financialStatus: rng.pick(['pending', 'paid'] as const),
      });
      return `orders/create ${order.id}`;
    }
    const open = openOrders();
    if (roll < 0.85 && open.length > 0) {
      const order = shop.order(rng.pick(open));
      if (!order) return 'noop';
      const status = order.financialStatus;
      if (status === 'pending' && rng.chance(0.1)) return `orders/cancelled ${shop.cancelOrder(order.id).id}`;
      if (status === 'pending' || status === 'authorized') return `orders/paid ${shop.payOrder(order.id).id}`;
      if (status === 'paid' && rng.chance(0.1))
        return `orders/updated (refund) ${shop.refundOrder(order.id, { includeShipping: true }).id}`;
      if (order.fulfillmentStatus !== 'fulfilled')
        return `orders/fulfilled ${shop.fulfillOrder(order.id).id}`;
      return `orders/updated (closed) ${shop.closeOrder(order.id).id}`;
    }
    if (roll < 0.92) {
      const customer = shop.customer(rng.pick(customers));
      const address = customer?.addresses[0];
      if (!customer || !address) return 'noop';
      shop.editCustomerAddress(customer.id, address.id, { address1: `${rng.int(1, 299)} Pasteur` });
      return `customers/update ${customer.id}`;
    }
    const products = ids('products');
    if (products.length === 0) return `products/create ${shop.createProduct().id}`;
    return `products/update ${shop.updateProduct(rng.pick(products), { tags: `tuan-${rng.int(1, 52)}` }).id}`;
  };
}
