export { createSimShop, type SimShop, type SimShopOptions } from './sim-shop.js';
export type { ShopConfig } from './shop-core.js';
export { createSimClock, type SimClock } from './sim-clock.js';
export { createRng, mulberry32, type Rng } from './prng.js';
export type { AddressPatch, CustomerInput, CustomerPatch } from './customer-actions.js';
export type { ProductInput, ProductPatch, VariantInput } from './product-actions.js';
export type { CreateOrderInput, LineItemInput } from './order-create.js';
export type { CancelInput, OrderPatch, RefundInput } from './order-lifecycle.js';
export type { MoneyInput } from './money-input.js';
export type * from './model.js';
export {
  MIN_FOR_EVERY_CASE,
  type GenerateOptions,
  type GenerateSummary,
  type LifeCase,
} from './life-generator.js';
export { ORDER_SCENARIOS, type OrderScenario } from './order-scenarios.js';
export type {
  AddressTruth,
  CustomerTruth,
  GroundTruth,
  OrderTruth,
  ProductTruth,
  ReceiverTruth,
} from './ground-truth.js';
export {
  orderContribution,
  normalizeFinancialStatus,
  type PaymentStatus,
  type RevenuePolicy,
} from './revenue-rules.js';
export type { ChangeEvent, ChangeListener, ChangeRecord } from './change-log.js';
export { isDeleteTopic, WEBHOOK_TOPICS, type WebhookTopic, type ResourceKind } from './topics.js';
export { createSimApp, startSimServer, type SimServer, type SimServerOptions } from './sim-server.js';
export { createLeakyBucket, type LeakyBucket, type BucketDecision } from './leaky-bucket.js';
export {
  createWebhookDispatcher,
  type DeliveryLog,
  type DeliveryReport,
  type DispatcherStats,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
} from './webhook-dispatcher.js';
export { planFaults, type FaultPlan, type WebhookFaults } from './fault-plan.js';
export { signWebhook } from './webhook-signature.js';
export { normalizePhone } from './phone.js';
export { formatUnits, unitsFromDecimal, type Units } from './money.js';
