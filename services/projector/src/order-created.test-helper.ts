import { sampleEvents, sampleOrder, type DomainEvent } from '@cdp/contracts';

const created = sampleEvents.find((e) => e.type === 'OrderCreated') as Extract<
  DomainEvent,
  { type: 'OrderCreated' }
>;

/** The sample `OrderCreated` for order `orderId` of tenant `t1`, with an event id of its own. */
export const orderCreated = (orderId: string): DomainEvent => ({
  ...created,
  data: { order: { ...sampleOrder, orderId } },
  metadata: { ...created.metadata, tenantId: 't1', aggregateId: orderId, eventId: `e-${orderId}` },
});
