import type { AddressPatch, CustomerInput } from './customer-actions.js';
import { createEventQueue } from './event-queue.js';
import { fakePerson, fakePhone } from './fake-person.js';
import type { LineItemInput } from './order-create.js';
import { ORDER_SCENARIOS, pickScenario, planScenario, type OrderScenario } from './order-scenarios.js';
import { formatPhone, normalizePhone } from './phone.js';
import { createRng, type Rng } from './prng.js';
import type { SimShop } from './sim-shop.js';

export interface GenerateOptions {
  customers: number;
  orders: number;
  products: number;
  /** How much simulated time the life spans (follow-ups may run a few days past it). Default 90. */
  spanDays?: number;
}

export type LifeCase =
  | OrderScenario
  | 'receiver-differs'
  | 'receiver-reused'
  | 'pos-walk-in'
  | 'shared-phone'
  | 'phone-only-on-default-address'
  | 'address-edited'
  | 'customer-updated'
  | 'customer-deleted'
  | 'product-edited'
  | 'product-deleted';

export interface GenerateSummary {
  customers: number;
  products: number;
  orders: number;
  changes: number;
  /** How often each case occurred, with a few example ids (orders, customers or products). */
  cases: Partial<Record<LifeCase, { count: number; examples: number[] }>>;
}

/** Below these sizes some cases cannot all occur. */
export const MIN_FOR_EVERY_CASE = { customers: 6, orders: ORDER_SCENARIOS.length + 4, products: 3 } as const;

const DAY = 24 * 60 * 60 * 1000;

function sortedTimes(rng: Rng, count: number, from: number, to: number): number[] {
  return Array.from({ length: count }, () => from + Math.floor(rng.next() * (to - from))).sort(
    (a, b) => a - b,
  );
}

export function generateLife(shop: SimShop, options: GenerateOptions): GenerateSummary {
  const rng = createRng(shop.config.seed).fork(`life:${shop.changes().length}`);
  const span = (options.spanDays ?? 90) * DAY;
  const start = shop.clock.now();
  const queue = createEventQueue();
  const cases: GenerateSummary['cases'] = {};
  // A later moment that stays inside the life's span.
  const later = (at: number) => at + rng.int(DAY, Math.max(DAY, span - at));
  const note = (kind: LifeCase, id: number) => {
    const entry = (cases[kind] ??= { count: 0, examples: [] });
    entry.count++;
    if (entry.examples.length < 10) entry.examples.push(id);
  };

  // Products first: the catalogue exists before anyone buys.
  sortedTimes(rng, options.products, 0, Math.max(1, span / 100)).forEach((at, index) => {
    queue.schedule(at, () => {
      const product = shop.createProduct();
      const deleteAt =
        index === 0 ? 0.6 * span : rng.chance(0.03) ? later(Math.max(at, 0.3 * span)) : undefined;
      if (rng.chance(0.2)) {
        queue.schedule(later(at), () => {
          if (!shop.product(product.id)) return;
          if (rng.chance(0.5))
            shop.updateProduct(product.id, {
              price: Math.round((Number(product.variants[0]?.price ?? 0n) / 10_000) * 1.1),
            });
          else shop.updateProduct(product.id, { title: `${product.title} (mới)` });
          note('product-edited', product.id);
        });
      }
      if (deleteAt !== undefined) {
        queue.schedule(deleteAt, () => {
          shop.deleteProduct(product.id);
          note('product-deleted', product.id);
        });
      }
    });
  });

  const orderable: number[] = [];
  const customerTimes = sortedTimes(rng, options.customers, 0, 0.85 * span);
  customerTimes.forEach((rawAt, index) => {
    // The special customers exist from the start so they get orders.
    const at = index < 6 ? index : rawAt;
    queue.schedule(at, () => {
      const input: CustomerInput = {};
      const person = fakePerson(rng);
      const earlier = orderable.length > 0 ? shop.customer(rng.pick(orderable)) : undefined;
      const sharePhone = index === 1 || (index > 6 && rng.chance(0.02));
      const phoneOnlyOnAddress = index === 2 || (index > 6 && rng.chance(0.03));
      const basePhone = index === 1 ? shop.customer(orderable[0] ?? -1)?.phone : earlier?.phone;
      const national = normalizePhone(basePhone)?.slice(3);
      if (sharePhone && national) {
        // One number on two customer ids (R7), written in another form.
        input.phone = formatPhone(national, basePhone?.startsWith('0') ? 'plus84' : 'local');
      } else if (phoneOnlyOnAddress) {
        input.phone = null;
        input.addresses = [{ phone: fakePhone(rng, person.phoneNational) }];
      } else if (index === 0) {
        input.phone = fakePhone(rng, person.phoneNational);
      } else if (rng.chance(0.05)) {
        input.phone = null;
      }
      if (rng.chance(0.25)) input.addresses = [...(input.addresses ?? [{}]), {}];
      const customer = shop.createCustomer(input);
      if (input.phone !== undefined && input.phone !== null && sharePhone) note('shared-phone', customer.id);
      if (phoneOnlyOnAddress) note('phone-only-on-default-address', customer.id);

      if (index === 4 && options.customers >= MIN_FOR_EVERY_CASE.customers) {
        queue.schedule(later(at), () => {
          shop.deleteCustomer(customer.id);
          note('customer-deleted', customer.id);
        });
        return; // never orderable: Haravan refuses to delete customers who have orders
      }
      orderable.push(customer.id);
      if (index === 3 || rng.chance(0.1)) {
        queue.schedule(later(at), () => {
          const current = shop.customer(customer.id);
          const defaultAddress = current?.addresses.find((a) => a.isDefault);
          if (!current || !defaultAddress) return;
          shop.editCustomerAddress(customer.id, defaultAddress.id, {
            address1: `${rng.int(1, 299)} Nguyễn Thị Minh Khai`,
          });
          if (rng.chance(0.5) || index === 3) shop.addCustomerAddress(customer.id, { isDefault: true });
          note('address-edited', customer.id);
        });
      }
      if (rng.chance(0.1)) {
        queue.schedule(later(at), () => {
          shop.updateCustomer(customer.id, { note: 'Khách VIP', tags: 'vip' });
          note('customer-updated', customer.id);
        });
      }
    });
  });

  const receivers: AddressPatch[] = [];
  const guaranteed = ORDER_SCENARIOS.length;
  sortedTimes(rng, options.orders, span / 100, span).forEach((at, index) => {
    queue.schedule(at, () => {
      const walkIn =
        index === guaranteed || (index > guaranteed + 3 && rng.chance(0.08)) || orderable.length === 0;
      if (walkIn) {
        const order = shop.createOrder({
          customerId: null,
          sourceName: 'pos',
          financialStatus: 'paid',
          shippingAddress: null,
          shipping: null,
        });
        note('pos-walk-in', order.id);
        queue.schedule(at + rng.int(1000, 60_000), () => shop.rapid(() => shop.fulfillOrder(order.id)));
        return;
      }
      const scenario = index < guaranteed ? (ORDER_SCENARIOS[index] as OrderScenario) : pickScenario(rng);
      const customerId =
        index < guaranteed
          ? (orderable[index % Math.min(orderable.length, 4)] as number)
          : rng.pick(orderable);
      const plan = planScenario(scenario, rng);
      let receiver: AddressPatch | undefined;
      if (
        index === guaranteed + 1 ||
        index === guaranteed + 2 ||
        (index > guaranteed + 2 && rng.chance(0.15))
      ) {
        const previous =
          receivers.length > 0 && (index === guaranteed + 2 || rng.chance(0.3))
            ? rng.pick(receivers)
            : undefined;
        if (previous) {
          // Same receiver again, phone possibly written differently: one receiver contact (R12).
          const national = normalizePhone(previous.phone)?.slice(3);
          receiver = { ...previous, phone: national ? fakePhone(rng, national) : (previous.phone ?? null) };
        } else {
          const person = fakePerson(rng);
          receiver = {
            firstName: person.firstName,
            lastName: person.lastName,
            phone: fakePhone(rng, person.phoneNational),
          };
          receivers.push(receiver);
        }
      }
      const lineItems: LineItemInput[] | undefined = plan.twoItems ? twoLineItems(shop, rng) : undefined;
      const order = shop.createOrder({
        customerId,
        financialStatus: plan.financialStatus,
        receiver,
        lineItems,
      });
      note(scenario, order.id);
      if (receiver) note(receivers.includes(receiver) ? 'receiver-differs' : 'receiver-reused', order.id);
      let when = at;
      for (const step of plan.steps) {
        when += step.afterMs;
        queue.schedule(when, () => step.run(shop, order.id));
      }
    });
  });

  queue.drain((at) => shop.clock.advanceTo(start + at));
  return {
    customers: options.customers,
    products: options.products,
    orders: options.orders,
    changes: shop.changes().length,
    cases,
  };
}

function twoLineItems(shop: SimShop, rng: Rng): LineItemInput[] | undefined {
  const variants = shop
    .records('products')
    .flatMap((r) => shop.product(r.id)?.variants ?? [])
    .map((v) => v.id);
  if (variants.length === 0)
    return [
      { title: 'Áo thun', price: 150_000 },
      { title: 'Quần short', price: 250_000 },
    ];
  return [
    { variantId: rng.pick(variants), quantity: 1 },
    { variantId: rng.pick(variants), quantity: rng.int(1, 2) },
  ];
}
