import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { DomainEvent } from '@cdp/contracts';
import type { EventCodec } from '@cdp/kafka';

/** True once a consumer group has read its topic to the end (a trailing transaction marker aside). */
export async function caughtUp(admin: Admin, groupId: string, topic: string): Promise<boolean> {
  const ends = await admin.fetchTopicOffsets(topic);
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return ends.every(({ partition, high }) => {
    const at = Number(committed?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
    return Number(high) - Math.max(at, 0) <= 1;
  });
}

/**
 * Reads the domain topics from offset 0 (read_committed, as any consumer sees them) until
 * `settled()` holds and no new event has arrived for `quietMs`; returns the events in log order
 * per topic-partition.
 */
export async function readDomainLog(
  kafka: Kafka,
  codec: EventCodec,
  topics: string[],
  settled: () => Promise<boolean>,
  quietMs = 3_000,
) {
  // Named after the pipeline's topics, so the pipeline's stop deletes it with its own groups.
  const consumer = kafka.consumer({
    groupId: `${topics[0]}.log-reader.${randomUUID()}`,
    readUncommitted: false,
  });
  const events: DomainEvent[] = [];
  // Quiet counts from the first fetch: joining the group can take longer than `quietMs` itself.
  let last = Infinity;
  consumer.on(consumer.events.FETCH, () => {
    if (last === Infinity) last = Date.now();
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      const decoded = await codec.decode(message.value);
      if (!decoded.ok) throw decoded.error;
      events.push(decoded.value);
      last = Date.now();
    },
  });
  while (Date.now() - last < quietMs || !(await settled()))
    await new Promise((resolve) => setTimeout(resolve, 250));
  await consumer.disconnect();
  return events;
}
