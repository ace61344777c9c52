import { type DomainEvent } from '@cdp/contracts';
import { sampleEvents, sampleOrder } from '@cdp/contracts/samples';

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
