import type { ChangeListener, ChangeRecord } from './change-log.js';
import {
  addCustomerAddress,
  createCustomer,
  deleteCustomer,
  editCustomerAddress,
  removeCustomerAddress,
  updateCustomer,
  type AddressPatch,
  type CustomerInput,
  type CustomerPatch,
} from './customer-actions.js';
import { computeGroundTruth, type GroundTruth } from './ground-truth.js';
import type { RevenuePolicy } from './revenue-rules.js';
import { generateLife, type GenerateOptions, type GenerateSummary } from './life-generator.js';
import type { SimAddress, SimCustomer, SimOrder, SimProduct } from './model.js';
import { createOrder, type CreateOrderInput } from './order-create.js';
import {
  cancelOrder,
  closeOrder,
  confirmOrder,
  deleteOrder,
  fulfillOrder,
  partiallyPayOrder,
  payOrder,
  refundOrder,
  reopenOrder,
  updateOrder,
  voidOrder,
  type CancelInput,
  type OrderPatch,
  type RefundInput,
} from './order-lifecycle.js';
import type { MoneyInput } from './money-input.js';
import { customerPayload } from './payload-customer.js';
import { orderPayload } from './payload-order.js';
import { productPayload } from './payload-product.js';
import {
  createProduct,
  deleteProduct,
  updateProduct,
  type ProductInput,
  type ProductPatch,
} from './product-actions.js';
import type { ResourceRecord, ResourceSource } from './resource-record.js';
import { createShopCore, type ShopConfig } from './shop-core.js';
import { createSimClock, type SimClock } from './sim-clock.js';
import type { ResourceKind } from './topics.js';

export interface SimShopOptions {
  seed: number;
  orgId?: number;
  accessToken?: string;
  webhookSecret?: string;
  /** Simulated start of the shop's life; fixed by default so runs are reproducible. */
  startTime?: Date;
  bucket?: { capacity: number; drainPerSecond: number };
  /** Supply your own clock (e.g. one the CLI keeps level with wall time). */
  clock?: SimClock;
  /** Simulated time each action takes (default 1000 ms); keep it small when tracking wall time. */
  stepMs?: number;
}

/** A Haravan shop: state plus synchronous, deterministic actions, each recorded as a change. */
export interface SimShop extends ResourceSource {
  readonly config: ShopConfig;
  readonly clock: SimClock;

  createCustomer(input?: CustomerInput): SimCustomer;
  updateCustomer(id: number, patch: CustomerPatch): SimCustomer;
  deleteCustomer(id: number): void;
  addCustomerAddress(customerId: number, patch?: AddressPatch): SimAddress;
  editCustomerAddress(customerId: number, addressId: number, patch: AddressPatch): SimAddress;
  removeCustomerAddress(customerId: number, addressId: number): void;

  createProduct(input?: ProductInput): SimProduct;
  updateProduct(id: number, patch: ProductPatch): SimProduct;
  deleteProduct(id: number): void;

  createOrder(input: CreateOrderInput): SimOrder;
  payOrder(id: number): SimOrder;
  partiallyPay(id: number, amount?: MoneyInput): SimOrder;
  refundOrder(id: number, input?: RefundInput): SimOrder;
  voidOrder(id: number): SimOrder;
  cancelOrder(id: number, input?: CancelInput): SimOrder;
  fulfillOrder(id: number): SimOrder;
  confirmOrder(id: number): SimOrder;
  closeOrder(id: number): SimOrder;
  reopenOrder(id: number): SimOrder;
  updateOrder(id: number, patch: OrderPatch): SimOrder;
  deleteOrder(id: number): void;

  /** Moves simulated time on (between actions each action also takes one second). */
  advance(ms: number): void;
  /** Runs `fn` with actions a few milliseconds apart, starting on a second boundary: same-second changes. */
  rapid<T>(fn: () => T): T;
  /** A whole shop life with every case of sync-rules.md. */
  generate(options: GenerateOptions): GenerateSummary;

  customer(id: number): SimCustomer | undefined;
  order(id: number): SimOrder | undefined;
  product(id: number): SimProduct | undefined;
  /** Haravan JSON of a resource as `GET /com/{kind}/{id}.json` would return it (unwrapped). */
  payload(kind: ResourceKind, id: number): Record<string, unknown> | undefined;

  /** What the CDP should show; revenue as a tenant with `policy` (default `as-written`) reads it. */
  groundTruth(policy?: RevenuePolicy): GroundTruth;
  /** Every change made so far, one per webhook Haravan would send. */
  changes(): readonly ChangeRecord[];
  subscribe(listener: ChangeListener): () => void;
}

const DEFAULT_START = new Date('2025-01-01T01:00:00.000Z');

export function createSimShop(options: SimShopOptions): SimShop {
  const config: ShopConfig = {
    seed: options.seed,
    orgId: options.orgId ?? 200_000_000_000 + (options.seed % 1_000_000),
    accessToken: options.accessToken ?? 'sim-access-token',
    webhookSecret: options.webhookSecret ?? 'sim-webhook-secret',
    bucket: options.bucket ?? { capacity: 80, drainPerSecond: 4 },
  };
  const clock = options.clock ?? createSimClock((options.startTime ?? DEFAULT_START).getTime());
  const core = createShopCore(config, clock);
  core.stepMs = options.stepMs ?? core.stepMs;

  const orderRecord = (o: SimOrder): ResourceRecord => ({
    id: o.id,
    createdAtMs: o.createdAt.ms,
    updatedAtMs: o.updatedAt.ms,
    orderState: {
      cancelled: o.cancelledAt !== null,
      closed: o.closedAt !== null,
      financialStatus: o.financialStatus,
    },
    payload: () => orderPayload(o, core.payloadContext),
  });
  const customerRecord = (c: SimCustomer): ResourceRecord => ({
    id: c.id,
    createdAtMs: c.createdAt.ms,
    updatedAtMs: c.updatedAt.ms,
    payload: () => customerPayload(c),
  });
  const productRecord = (p: SimProduct): ResourceRecord => ({
    id: p.id,
    createdAtMs: p.createdAt.ms,
    updatedAtMs: p.updatedAt.ms,
    payload: () => productPayload(p),
  });
  const record = (kind: ResourceKind, id: number): ResourceRecord | undefined => {
    switch (kind) {
      case 'orders': {
        const o = core.orders.get(id);
        return o && orderRecord(o);
      }
      case 'customers': {
        const c = core.customers.get(id);
        return c && customerRecord(c);
      }
      case 'products': {
        const p = core.products.get(id);
        return p && productRecord(p);
      }
    }
  };

  const shop: SimShop = {
    config,
    clock,
    createCustomer: (input) => createCustomer(core, input),
    updateCustomer: (id, patch) => updateCustomer(core, id, patch),
    deleteCustomer: (id) => deleteCustomer(core, id),
    addCustomerAddress: (customerId, patch) => addCustomerAddress(core, customerId, patch),
    editCustomerAddress: (customerId, addressId, patch) =>
      editCustomerAddress(core, customerId, addressId, patch),
    removeCustomerAddress: (customerId, addressId) => removeCustomerAddress(core, customerId, addressId),
    createProduct: (input) => createProduct(core, input),
    updateProduct: (id, patch) => updateProduct(core, id, patch),
    deleteProduct: (id) => deleteProduct(core, id),
    createOrder: (input) => createOrder(core, input),
    payOrder: (id) => payOrder(core, id),
    partiallyPay: (id, amount) => partiallyPayOrder(core, id, amount),
    refundOrder: (id, input) => refundOrder(core, id, input),
    voidOrder: (id) => voidOrder(core, id),
    cancelOrder: (id, input) => cancelOrder(core, id, input),
    fulfillOrder: (id) => fulfillOrder(core, id),
    confirmOrder: (id) => confirmOrder(core, id),
    closeOrder: (id) => closeOrder(core, id),
    reopenOrder: (id) => reopenOrder(core, id),
    updateOrder: (id, patch) => updateOrder(core, id, patch),
    deleteOrder: (id) => deleteOrder(core, id),
    advance: (ms) => clock.advance(ms),
    rapid(fn) {
      const saved = core.stepMs;
      clock.advanceTo(Math.ceil(clock.now() / 1000) * 1000);
      core.stepMs = 7;
      try {
        return fn();
      } finally {
        core.stepMs = saved;
      }
    },
    generate: (generateOptions) => generateLife(shop, generateOptions),
    customer: (id) => core.customers.get(id),
    order: (id) => core.orders.get(id),
    product: (id) => core.products.get(id),
    payload: (kind, id) => record(kind, id)?.payload(),
    records(kind) {
      switch (kind) {
        case 'orders':
          return [...core.orders.values()].map(orderRecord);
        case 'customers':
          return [...core.customers.values()].map(customerRecord);
        case 'products':
          return [...core.products.values()].map(productRecord);
      }
    },
    record,
    groundTruth: (policy) =>
      computeGroundTruth(
        {
          now: clock.now(),
          customers: core.customers.values(),
          orders: core.orders.values(),
          products: core.products.values(),
        },
        policy,
      ),
    changes: () => core.log.all(),
    subscribe: (listener) => core.log.subscribe(listener),
  };
  return shop;
}
