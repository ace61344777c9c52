import type { Admin, Batch, Kafka } from 'kafkajs';
import type { Db } from 'mongodb';
import type { DomainEvent, TopicNames } from '@cdp/contracts';
import type { EventCodec } from '@cdp/kafka';
import { collectionsFor, currentGeneration, customerDocId, type OrderDoc } from '@cdp/read-models';
import { createReadModelWriter } from './read-model-writer';
import { captureTargets } from './replay-progress';

/** Whether an event belongs to the customer; an order stays theirs from its first event on, even if moved later. */
function concerns(event: DomainEvent, customerId: string, theirOrders: Set<string>): boolean {
  switch (event.type) {
    case 'CustomerUpserted':
    case 'CustomerDeleted':
      return event.metadata.aggregateId === customerId;
    case 'OrderDeleted':
      return theirOrders.has(event.data.orderId);
    case 'OrderCreated':
    case 'OrderUpdated':
    case 'PaymentStatusChanged':
    case 'OrderCancelled':
      if (event.data.order.buyer?.customerId === customerId) theirOrders.add(event.data.order.orderId);
      return theirOrders.has(event.data.order.orderId);
    case 'ProductUpserted':
    case 'ProductDeleted':
      return false;
  }
}

/**
 * Rebuilds one customer in the live generation: their documents are removed, then every event
 * about them is re-applied from offset 0 in log order, up to where the log ended at the start.
 */
export async function rebuildCustomer(
  deps: { kafka: Kafka; admin: Admin; db: Db; codec: EventCodec; topics: TopicNames },
  tenantId: string,
  customerId: string,
): Promise<{ applied: number }> {
  const names = collectionsFor(await currentGeneration(deps.db));
  const writer = createReadModelWriter(deps.db, names);
  const domainTopics = [deps.topics.customers, deps.topics.orders];
  const targets = await captureTargets(deps.admin, domainTopics);
  const remaining = new Set(targets.filter((t) => t.end > 0).map((t) => `${t.topic}/${t.partition}`));
  const ends = new Map(targets.map((t) => [`${t.topic}/${t.partition}`, t.end]));

  await deps.db.collection(names.customers).deleteOne({ _id: customerDocId(tenantId, customerId) } as never);
  await deps.db.collection<OrderDoc>(names.orders).deleteMany({ tenantId, buyerId: customerId });

  const groupId = `rebuild-customer-${tenantId}-${customerId}-${Date.now()}`;
  const consumer = deps.kafka.consumer({ groupId, readUncommitted: false });
  const theirOrders = new Set<string>();
  const tenantKey = `${tenantId}:`;
  let applied = 0;
  await consumer.connect();
  await consumer.subscribe({ topics: domainTopics, fromBeginning: true });
  let failed = false;
  /** Applies the batch's events of the customer; true once every partition is read to its end. */
  const applyBatch = async (batch: Batch): Promise<boolean> => {
    const id = `${batch.topic}/${batch.partition}`;
    const end = ends.get(id) ?? 0;
    for (const message of batch.messages) {
      if (Number(message.offset) >= end || !message.value) continue;
      // Keys are `<tenant>:<aggregate>`: other tenants' events are not even decoded, so none can stop this.
      if (!message.key?.toString().startsWith(tenantKey)) continue;
      const decoded = await deps.codec.decode(message.value);
      if (!decoded.ok) throw decoded.error;
      const event = decoded.value;
      if (event.metadata.tenantId === tenantId && concerns(event, customerId, theirOrders)) {
        await writer.apply(event, { partition: batch.partition, offset: Number(message.offset) });
        applied += 1;
      }
    }
    await writer.flush();
    // lastOffset() counts transaction markers too, so it reaches end - 1 once the partition is read.
    if (Number(batch.lastOffset()) >= end - 1) remaining.delete(id);
    return remaining.size === 0;
  };
  const done = new Promise<void>((resolve, reject) => {
    if (remaining.size === 0) resolve();
    void consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          // kafkajs would retry a failing batch forever: the first failure ends the run instead.
          if (failed) return;
          try {
            if (await applyBatch(batch)) resolve();
          } catch (error) {
            failed = true;
            const reason = error instanceof Error ? error.message : String(error);
            reject(
              new Error(
                `${tenantId}:${customerId} stays without documents until a rebuild succeeds: ${reason}`,
                {
                  cause: error,
                },
              ),
            );
          }
        },
      })
      .catch(reject);
  });
  try {
    await done;
  } finally {
    await consumer.disconnect();
    await deps.admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return { applied };
}
