import type { Rng } from './prng.js';
import type { SimShop } from './sim-shop.js';

/** Every order life sync-rules.md cares about (R17–R21), as a first status plus timed follow-ups. */
export const ORDER_SCENARIOS = [
  'pending',
  'pending-then-paid',
  'paid-at-checkout',
  'partially-paid',
  'partially-refunded-with-shipping',
  'partially-refunded',
  'fully-refunded',
  'voided',
  'cancelled-after-payment',
  'cancelled-before-payment',
  'cancelled-then-deleted',
  'rapid-changes',
  'closed-after-fulfilment',
] as const;

export type OrderScenario = (typeof ORDER_SCENARIOS)[number];

const WEIGHTS: Record<OrderScenario, number> = {
  pending: 6,
  'pending-then-paid': 30,
  'paid-at-checkout': 20,
  'partially-paid': 4,
  'partially-refunded-with-shipping': 4,
  'partially-refunded': 3,
  'fully-refunded': 3,
  voided: 2,
  'cancelled-after-payment': 4,
  'cancelled-before-payment': 6,
  'cancelled-then-deleted': 1,
  'rapid-changes': 5,
  'closed-after-fulfilment': 12,
};

export function pickScenario(rng: Rng): OrderScenario {
  const total = ORDER_SCENARIOS.reduce((acc, s) => acc + WEIGHTS[s], 0);
  let roll = rng.next() * total;
  for (const scenario of ORDER_SCENARIOS) {
    roll -= WEIGHTS[scenario];
    if (roll < 0) return scenario;
  }
  return 'pending';
}

export interface ScenarioStep {
  afterMs: number;
  run(shop: SimShop, orderId: number): void;
}

export interface ScenarioPlan {
  financialStatus: 'pending' | 'authorized' | 'paid' | 'partially_paid';
  /** Refund scenarios need two items so a one-item refund stays partial. */
  twoItems: boolean;
  steps: ScenarioStep[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function planScenario(scenario: OrderScenario, rng: Rng): ScenarioPlan {
  const within = (min: number, max: number) => rng.int(min, max);
  const step = (afterMs: number, run: ScenarioStep['run']): ScenarioStep => ({ afterMs, run });
  const fulfil = step(within(HOUR, 2 * DAY), (shop, id) => shop.fulfillOrder(id));
  switch (scenario) {
    case 'pending':
      return { financialStatus: 'pending', twoItems: false, steps: [] };
    case 'pending-then-paid':
      return {
        financialStatus: 'pending',
        twoItems: false,
        steps: [
          step(within(10 * MINUTE, 2 * HOUR), (shop, id) => shop.confirmOrder(id)),
          step(within(HOUR, 3 * DAY), (shop, id) => shop.payOrder(id)),
          fulfil,
        ],
      };
    case 'paid-at-checkout':
      return { financialStatus: 'paid', twoItems: false, steps: [fulfil] };
    case 'partially-paid':
      return { financialStatus: 'partially_paid', twoItems: false, steps: [] };
    case 'partially-refunded-with-shipping':
      return {
        financialStatus: 'paid',
        twoItems: true,
        steps: [
          fulfil,
          step(within(2 * DAY, 10 * DAY), (shop, id) =>
            shop.refundOrder(id, { includeShipping: true, note: 'Khách trả hàng' }),
          ),
        ],
      };
    case 'partially-refunded':
      return {
        financialStatus: 'paid',
        twoItems: true,
        steps: [step(within(2 * DAY, 10 * DAY), (shop, id) => shop.refundOrder(id))],
      };
    case 'fully-refunded':
      return {
        financialStatus: 'paid',
        twoItems: false,
        steps: [step(within(HOUR, 5 * DAY), (shop, id) => shop.refundOrder(id, { full: true }))],
      };
    case 'voided':
      return {
        financialStatus: 'authorized',
        twoItems: false,
        steps: [step(within(HOUR, DAY), (shop, id) => shop.voidOrder(id))],
      };
    case 'cancelled-after-payment': {
      const refund = rng.chance(0.5);
      return {
        financialStatus: 'paid',
        twoItems: false,
        steps: [
          step(within(HOUR, 2 * DAY), (shop, id) => shop.cancelOrder(id, { reason: 'customer', refund })),
        ],
      };
    }
    case 'cancelled-before-payment':
      return {
        financialStatus: 'pending',
        twoItems: false,
        steps: [
          step(within(5 * MINUTE, DAY), (shop, id) =>
            shop.cancelOrder(id, { reason: rng.pick(['customer', 'inventory', 'other'] as const) }),
          ),
        ],
      };
    case 'cancelled-then-deleted':
      return {
        financialStatus: 'pending',
        twoItems: false,
        steps: [
          step(within(5 * MINUTE, DAY), (shop, id) => shop.cancelOrder(id, { reason: 'fraud' })),
          step(within(DAY, 5 * DAY), (shop, id) => shop.deleteOrder(id)),
        ],
      };
    case 'rapid-changes':
      return {
        financialStatus: 'pending',
        twoItems: false,
        steps: [
          step(within(HOUR, DAY), (shop, id) =>
            shop.rapid(() => {
              shop.confirmOrder(id);
              shop.payOrder(id);
              shop.fulfillOrder(id);
              shop.updateOrder(id, { note: 'Giao trong ngày' });
            }),
          ),
        ],
      };
    case 'closed-after-fulfilment':
      return {
        financialStatus: 'paid',
        twoItems: false,
        steps: [fulfil, step(within(DAY, 7 * DAY), (shop, id) => shop.closeOrder(id))],
      };
  }
}
