import { createChangeLog, type ChangeLog } from './change-log.js';
import { stringifyHaravan } from './haravan-json.js';
import { createIdAllocator, type IdAllocator } from './id-allocator.js';
import type { SimCustomer, SimOrder, SimProduct } from './model.js';
import { customerPayload } from './payload-customer.js';
import { orderPayload, type OrderPayloadContext } from './payload-order.js';
import { productPayload } from './payload-product.js';
import type { Rng } from './prng.js';
import { createRng } from './prng.js';
import type { SimClock } from './sim-clock.js';
import { randomStamp, stamp, type Stamp } from './timestamp.js';
import type { CustomerTopic, OrderTopic, ProductTopic, WebhookTopic } from './topics.js';

export interface ShopConfig {
  seed: number;
  orgId: number;
  accessToken: string;
  webhookSecret: string;
  bucket: { capacity: number; drainPerSecond: number };
}

/** Shared state and plumbing the action modules work on. */
export interface ShopCore {
  readonly config: ShopConfig;
  readonly clock: SimClock;
  readonly rng: Rng;
  readonly nextId: IdAllocator;
  readonly customers: Map<number, SimCustomer>;
  readonly products: Map<number, SimProduct>;
  readonly orders: Map<number, SimOrder>;
  readonly ordersByCustomer: Map<number, Set<number>>;
  readonly log: ChangeLog;
  readonly payloadContext: OrderPayloadContext;
  /** Simulated time one action takes; `rapid()` shrinks it so changes share a second. */
  stepMs: number;
  nextOrderNumber(): number;
  /** The instant of the current action; moves the clock on by one step. */
  beginChange(): number;
  /** A Haravan timestamp for `ms`, later than the record's previous one. */
  stampAt(ms: number, previous?: Stamp): Stamp;
  emitCustomer(topic: CustomerTopic, customer: SimCustomer): void;
  emitProduct(topic: ProductTopic, product: SimProduct): void;
  emitOrder(topic: OrderTopic, order: SimOrder): void;
  emitDeleted(topic: WebhookTopic, id: number, at: Stamp): void;
}

export function createShopCore(config: ShopConfig, clock: SimClock): ShopCore {
  const rng = createRng(config.seed).fork('actions');
  const customers = new Map<number, SimCustomer>();
  const products = new Map<number, SimProduct>();
  const log = createChangeLog();
  const payloadContext: OrderPayloadContext = {
    customer: (id) => customers.get(id),
    productExists: (id) => products.has(id),
  };
  let orderNumber = 100_000;
  const core: ShopCore = {
    config,
    clock,
    rng,
    nextId: createIdAllocator(rng.fork('ids')),
    customers,
    products,
    orders: new Map(),
    ordersByCustomer: new Map(),
    log,
    payloadContext,
    stepMs: 1000,
    nextOrderNumber: () => ++orderNumber,
    beginChange() {
      const now = clock.now();
      clock.advance(core.stepMs);
      return now;
    },
    stampAt(ms, previous) {
      const candidate = randomStamp(ms, rng);
      // Each change of a record is later than the one before, as Haravan's millisecond times are: a
      // shorter print must not make two of them one instant.
      return previous && candidate.ms <= previous.ms ? stamp(ms, 3) : candidate;
    },
    emitCustomer: (topic, customer) =>
      log.record(topic, customer.id, customer.updatedAt.text, () =>
        stringifyHaravan(customerPayload(customer)),
      ),
    emitProduct: (topic, product) =>
      log.record(topic, product.id, product.updatedAt.text, () => stringifyHaravan(productPayload(product))),
    emitOrder: (topic, order) =>
      log.record(topic, order.id, order.updatedAt.text, () =>
        stringifyHaravan(orderPayload(order, payloadContext)),
      ),
    emitDeleted: (topic, id, at) => log.record(topic, id, at.text, () => JSON.stringify({ id })),
  };
  return core;
}
