import type { Admin, Consumer, Kafka, KafkaMessage, Message, Producer, RecordMetadata } from 'kafkajs';
import type { CommandStore } from '@cdp/commands';
import {
  AppError,
  err,
  eventCatalog,
  eventKey,
  ok,
  type DomainEvent,
  type Result,
  type TopicNames,
} from '@cdp/contracts';
import type { EventCodec } from '@cdp/kafka';
import type { Logger } from '@cdp/logging';
import { aggregateKey, aggregateOf, type AggregateKind } from '../deciding/aggregate-key';
import { decide } from '../deciding/decide';
import { fromKafkaMessage, toKafkaMessage, type RawRecord } from '../webhook/raw-record';
import { lastSentPosition, partitionEndPosition } from './command-position';
import { createFailingPartitions } from './failing-partitions';
import { observeRaw } from './observe-raw';
import { retryConcurrentTransactions } from './retry-concurrent-transactions';
import type { StateStore } from './state-store';

export interface DeciderDeps {
  kafka: Kafka;
  /** Connected: finds where a push's aggregate's partition ends. */
  admin: Admin;
  codec: EventCodec;
  states: StateStore;
  /** Where pushes' changes landed, for read-your-writes after a push. */
  commands: Pick<CommandStore, 'recordPosition'>;
  topics: TopicNames;
  groupId: string;
  log: Logger;
  metrics: { decided: (outcome: string, count?: number) => void };
}

/** The aggregate a raw record is about, and the key its events are written under. */
interface Aggregate {
  kind: AggregateKind;
  eventKey: string;
}

interface Encoded {
  topic: string;
  message: Message;
}

/** What a raw record gives: events to write, raw records to re-publish, or why it is parked. */
interface Outcome {
  events: Encoded[];
  extra: RawRecord[];
  dead: string | null;
  aggregate?: Aggregate;
}

const streamOf = { order: 'orders', customer: 'customers', product: 'products' } as const;

export interface DeciderWorker {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** False once the consumer stopped for good (kafkajs does not restart it): `/readyz` says so. */
  running(): boolean;
  /**
   * How long the longest-failing of its partitions has failed on every try of its next record
   * (kafkajs retries it forever, while other partitions may flow); 0 when none is failing.
   */
  failingForMs(now?: number): number;
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
  const failing = createFailingPartitions();

  /**
   * The events as messages for their topics. An event that can never be written (it breaks the
   * contract, or Avro cannot carry it) fails for good: the record is parked, not retried forever.
   */
  async function encodeAll(events: readonly DomainEvent[]): Promise<Result<Encoded[]>> {
    const encoded: Encoded[] = [];
    for (const event of events) {
      try {
        encoded.push({
          topic: topics[eventCatalog[event.type].stream],
          message: {
            key: eventKey(event.metadata.tenantId, event.metadata.aggregateId),
            value: await deps.codec.encode(event),
            headers: { 'x-event-id': event.metadata.eventId, 'x-event-type': event.type },
          },
        });
      } catch (error) {
        if (error instanceof AppError && !error.retriable) return err(error);
        throw error;
      }
    }
    return ok(encoded);
  }

  async function eventsFor(raw: RawRecord, partition: number, offset: string): Promise<Outcome> {
    const observed = observeRaw(raw);
    if (!observed.ok)
      return { events: [], extra: [], dead: `${observed.error.code}: ${observed.error.message}` };
    const { observation, embeddedCustomer } = observed.value;
    const extra: RawRecord[] = embeddedCustomer
      ? [
          {
            key: `${raw.tenantId}:customer:${embeddedCustomer.id}`,
            body: embeddedCustomer.body,
            tenantId: raw.tenantId,
            haravanTopic: 'customers/update',
            orgId: raw.orgId,
            source: 'order-embedded',
            receivedAt: raw.receivedAt,
          },
        ]
      : [];
    if (!observation) return { events: [], extra, dead: null };

    const { kind, id } = aggregateOf(observation);
    const aggregate = { kind, eventKey: eventKey(raw.tenantId, id) };
    const key = aggregateKey(raw.tenantId, observation);
    const stored = await deps.states.get(key);
    const again =
      stored && stored.lastDecision.partition === partition && stored.lastDecision.offset === offset;
    const decision = again
      ? { state: null, events: stored.lastDecision.events }
      : decide(stored?.state, observation, {
          tenantId: raw.tenantId,
          source: raw.source === 'webhook' ? 'webhook' : raw.source === 'cdp' ? 'cdp' : 'poll',
          causationId: `${topics.raw}/${partition}/${offset}`,
          recordedAt: raw.receivedAt,
        });
    const encoded = await encodeAll(decision.events);
    // A parked record leaves the aggregate's state as it was: its change is not taken as known.
    if (!encoded.ok) return { events: [], extra, dead: `${encoded.error.code}: ${encoded.error.message}` };
    if (decision.state) {
      await deps.states.put(key, {
        state: decision.state,
        lastDecision: { partition, offset, events: decision.events },
      });
    }
    return { events: encoded.value, extra, dead: null, aggregate };
  }

  /**
   * Records where a push's change is in the event log: its own last event, or with none (Haravan's
   * echo came first, or nothing changed) the end of the aggregate's partition, past every event it
   * had. Never throws: the position is a convenience the command can lack, not worth a retry.
   */
  async function recordCommandPosition(
    command: { tenantId: string; commandId: string },
    aggregate: Aggregate,
    events: readonly Encoded[],
    sent: readonly RecordMetadata[],
  ): Promise<void> {
    const topic = topics[streamOf[aggregate.kind]];
    const ownEvents = events.filter((e) => e.topic === topic).length;
    try {
      const position =
        ownEvents > 0
          ? lastSentPosition(sent, topic, ownEvents)
          : await partitionEndPosition(deps.admin, topic, aggregate.eventKey);
      if (position) await deps.commands.recordPosition(command.tenantId, command.commandId, position);
    } catch (error) {
      log.warn({ err: error, commandId: command.commandId }, "push command's position not recorded");
    }
  }

  async function handle(partition: number, message: KafkaMessage): Promise<void> {
    const raw = fromKafkaMessage(message);
    const outcome: Outcome = raw
      ? await eventsFor(raw, partition, message.offset)
      : { events: [], extra: [], dead: 'ERR_INGEST_RAW_HEADERS: raw record lacks its headers' };

    const byTopic = new Map<string, Message[]>();
    const add = (topic: string, msg: Message) => byTopic.set(topic, [...(byTopic.get(topic) ?? []), msg]);
    for (const event of outcome.events) add(event.topic, event.message);
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
      const sent =
        byTopic.size > 0
          ? await transaction.sendBatch({
              acks: -1,
              topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
            })
          : [];
      await retryConcurrentTransactions(() =>
        transaction.sendOffsets({
          consumerGroupId: deps.groupId,
          topics: [
            {
              topic: topics.raw,
              partitions: [{ partition, offset: (BigInt(message.offset) + 1n).toString() }],
            },
          ],
        }),
      );
      // Before the commit: recorded after it, a crash in between would lose it for good, the raw
      // record being committed. A commit that fails has the record decided and recorded again.
      if (raw?.commandId !== undefined && outcome.aggregate)
        await recordCommandPosition(
          { tenantId: raw.tenantId, commandId: raw.commandId },
          outcome.aggregate,
          outcome.events,
          sent,
        );
      await transaction.commit();
    } catch (error) {
      deps.metrics.decided('transaction_failed');
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
        // kafkajs's own crash line can be demoted with the retried races it mentions (kafkajs-log-level.ts).
        if (payload.restart) {
          log.warn(
            { err: payload.error },
            'the decider consumer failed and restarts; the record is tried again',
          );
          return;
        }
        crashed = true;
        log.error({ err: payload.error }, 'the decider stopped for good; raw records are no longer decided');
      });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
        failing.keepOnly(payload.memberAssignment[topics.raw] ?? []),
      );
      await consumer.connect();
      await consumer.subscribe({ topic: topics.raw, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          try {
            await handle(partition, message);
            failing.succeeded(partition);
          } catch (error) {
            failing.failed(partition, Date.now());
            throw error;
          }
        },
      });
    },
    async stop() {
      await consumer.disconnect();
      await Promise.all([...producers.keys()].map(dropProducer));
    },
    running: () => !crashed,
    failingForMs: (now = Date.now()) => failing.longestMs(now),
  };
}
