export const ORDER_TOPICS = [
  'orders/create',
  'orders/updated',
  'orders/paid',
  'orders/cancelled',
  'orders/fulfilled',
  'orders/delete',
] as const;
export const CUSTOMER_TOPICS = ['customers/create', 'customers/update', 'customers/delete'] as const;
/** `products/deleted` with a "d" is Haravan's spelling (official sample code). */
export const PRODUCT_TOPICS = ['products/create', 'products/update', 'products/deleted'] as const;

export type OrderTopic = (typeof ORDER_TOPICS)[number];
export type CustomerTopic = (typeof CUSTOMER_TOPICS)[number];
export type ProductTopic = (typeof PRODUCT_TOPICS)[number];
export type WebhookTopic = OrderTopic | CustomerTopic | ProductTopic;

export const WEBHOOK_TOPICS: readonly WebhookTopic[] = [
  ...ORDER_TOPICS,
  ...CUSTOMER_TOPICS,
  ...PRODUCT_TOPICS,
];

export type ResourceKind = 'orders' | 'customers' | 'products';

export function resourceOfTopic(topic: WebhookTopic): ResourceKind {
  return topic.slice(0, topic.indexOf('/')) as ResourceKind;
}

export function isDeleteTopic(topic: WebhookTopic): boolean {
  return topic === 'orders/delete' || topic === 'customers/delete' || topic === 'products/deleted';
}
