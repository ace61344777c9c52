import type { Consumer, Kafka, KafkaMessage, Message, Producer } from 'kafkajs';
import { eventCatalog, type DomainEvent, type TopicNames } from '@cdp/contracts';
import type { EventCodec } from '@cdp/kafka';
import type { Logger } from '@cdp/logging';
import { aggregateKey } from '../deciding/aggregate-key';
import { decide } from '../deciding/decide';
import { fromKafkaMessage, toKafkaMessage, type RawRecord } from '../webhook/raw-record';
import { observeRaw } from './observe-raw';
import type { StateStore } from './state-store';

export interface DeciderDeps {
  kafka: Kafka;
  codec: EventCodec;
  states: StateStore;
  topics: TopicNames;
  groupId: string;
  log: Logger;
  metrics: { decided: (outcome: string, count?: number) => void };
}

export interface DeciderWorker {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** False once the consumer stopped for good (kafkajs does not restart it): `/readyz` says so. */
  running(): boolean;
}

/**
 * Reads the raw topic and turns each record into domain events. Events, any re-published raw
 * record and the raw offset are committed in one Kafka transaction: a record's events appear
 * exactly once, or not at all and the record is read again.
 */
export function createDeciderWorker(deps: DeciderDeps): DeciderWorker {
  const { topics, log } = deps;
  const consumer: Consumer = deps.kafka.consumer({
    groupId: deps.groupId,
    readUncommitted: false,
    allowAutoTopicCreation: false,
  });
  /**
   * One transactional producer per raw partition, named after it: whichever instance of ingest owns
   * the partition fences any earlier owner still writing for it (a zombie after a rebalance), and
   * instances never fence each other over partitions they do not share.
   */
  const producers = new Map<number, Promise<Producer>>();
  const producerFor = (partition: number): Promise<Producer> => {
    let producer = producers.get(partition);
    if (!producer) {
      const created = deps.kafka.producer({
        transactionalId: `${deps.groupId}-tx-${partition}`,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      });
      producer = created.connect().then(() => created);
      producer.catch(() => producers.delete(partition));
      producers.set(partition, producer);
    }
    return producer;
  };
  /** After a failed transaction (fenced, or broken off) the next try starts from a fresh producer. */
  const dropProducer = async (partition: number) => {
    const producer = producers.get(partition);
    producers.delete(partition);
    await producer?.then((p) => p.disconnect()).catch(() => undefined);
  };
  let crashed = false;

  async function eventsFor(
    raw: RawRecord,
    partition: number,
    offset: string,
  ): Promise<{ events: DomainEvent[]; extra: RawRecord[]; dead: string | null }> {
    const observed = observeRaw(raw);
    if (!observed.ok)
      return { events: [], extra: [], dead: `${observed.error.code}: ${observed.error.message}` };
    const { observation, embeddedCustomer } = observed.value;
    const extra: RawRecord[] = embeddedCustomer
      ? [
          {
            ...raw,
            key: `${raw.tenantId}:customer:${embeddedCustomer.id}`,
            body: embeddedCustomer.body,
            haravanTopic: 'customers/update',
            source: 'order-embedded',
          },
        ]
      : [];
    if (!observation) return { events: [], extra, dead: null };

    const key = aggregateKey(raw.tenantId, observation);
    const stored = await deps.states.get(key);
    if (stored && stored.lastDecision.partition === partition && stored.lastDecision.offset === offset) {
      return { events: stored.lastDecision.events, extra, dead: null };
    }
    const decision = decide(stored?.state, observation, {
      tenantId: raw.tenantId,
      source: raw.source === 'webhook' ? 'webhook' : raw.source === 'cdp' ? 'cdp' : 'poll',
      causationId: `${topics.raw}/${partition}/${offset}`,
      recordedAt: raw.receivedAt,
    });
    if (decision.state) {
      await deps.states.put(key, {
        state: decision.state,
        lastDecision: { partition, offset, events: decision.events },
      });
    }
    return { events: decision.events, extra, dead: null };
  }

  async function handle(partition: number, message: KafkaMessage): Promise<void> {
    const raw = fromKafkaMessage(message);
    const outcome = raw
      ? await eventsFor(raw, partition, message.offset)
      : { events: [], extra: [], dead: 'ERR_INGEST_RAW_HEADERS: raw record lacks its headers' };

    const byTopic = new Map<string, Message[]>();
    const add = (topic: string, msg: Message) => byTopic.set(topic, [...(byTopic.get(topic) ?? []), msg]);
    for (const event of outcome.events) {
      add(topics[eventCatalog[event.type].stream], {
        key: `${event.metadata.tenantId}:${event.metadata.aggregateId}`,
        value: await deps.codec.encode(event),
        headers: { 'x-event-id': event.metadata.eventId, 'x-event-type': event.type },
      });
    }
    for (const record of outcome.extra) add(topics.raw, toKafkaMessage(record));
    if (outcome.dead) {
      log.warn(
        { partition, offset: message.offset, reason: outcome.dead },
        'raw record parked in the dead-letter topic',
      );
      add(topics.deadLetter, {
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          'x-dlq-reason': outcome.dead,
          'x-dlq-origin': `${topics.raw}/${partition}/${message.offset}`,
        },
      });
    }

    const transaction = await (await producerFor(partition)).transaction();
    try {
      if (byTopic.size > 0) {
        await transaction.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
      }
      await transaction.sendOffsets({
        consumerGroupId: deps.groupId,
        topics: [
          {
            topic: topics.raw,
            partitions: [{ partition, offset: (BigInt(message.offset) + 1n).toString() }],
          },
        ],
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      await dropProducer(partition);
      throw error;
    }
    deps.metrics.decided(outcome.dead ? 'dead_letter' : 'ok');
    deps.metrics.decided('events', outcome.events.length);
  }

  return {
    async start() {
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart) return;
        crashed = true;
        log.error({ err: payload.error }, 'the decider stopped for good; raw records are no longer decided');
      });
      await consumer.connect();
      await consumer.subscribe({ topic: topics.raw, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: ({ partition, message }) => handle(partition, message),
      });
    },
    async stop() {
      await consumer.disconnect();
      await Promise.all([...producers.keys()].map(dropProducer));
    },
    running: () => !crashed,
  };
}
