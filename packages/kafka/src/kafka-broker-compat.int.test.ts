/**
 * Smoke test: kafkajs 2.2.4 against the real broker used by this project (Kafka 4.1.1 from
 * infra/local/infra.sh, or whatever KAFKA_BROKERS points at). It proves every broker feature
 * the services rely on: topic admin, acks=all, idempotent producer, consumer groups with
 * committed offsets, and transactions with read_committed isolation.
 */
import { Kafka, logLevel, type Admin, type Consumer, type LogEntry, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTopic, resolveInfra, uniqueName, waitFor, type TestTopic } from '@cdp/testing';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

/**
 * Prints kafkajs WARN/ERROR entries, except CONCURRENT_TRANSACTIONS: right after a commit or
 * abort the coordinator is still writing the transaction markers, so the next
 * AddPartitionsToTxn is answered with that retriable error and kafkajs retries it (the Java
 * client does the same). It is expected, not a failure.
 */
const quietLogCreator =
  () =>
  ({ level, label, log }: LogEntry): void => {
    const error = typeof log.error === 'string' ? log.error : '';
    if (`${log.message} ${error}`.includes('another concurrent operation on the same transaction')) return;
    const { message, ...extra } = log;
    const line = `[kafkajs ${label}] ${message} ${JSON.stringify(extra)}`;
    if (level <= logLevel.ERROR) console.error(line);
    else console.warn(line);
  };

describe('kafkajs 2.2.4 against the project Kafka broker', () => {
  let kafka: Kafka;
  let admin: Admin;
  const topics: TestTopic[] = [];
  const clients: (Producer | Consumer)[] = [];
  const groups: string[] = [];
  const groupNamed = (name: string) => {
    const id = uniqueName(name);
    groups.push(id);
    return id;
  };

  const track = <T extends Producer | Consumer>(client: T): T => {
    clients.push(client);
    return client;
  };

  const newTopic = async (partitions = 3): Promise<string> => {
    const t = await createTestTopic(admin, { partitions, prefix: 'compat' });
    topics.push(t);
    return t.topic;
  };

  beforeAll(async () => {
    const infra = await resolveInfra();
    kafka = new Kafka({
      clientId: uniqueName('compat-test'),
      brokers: infra.kafkaBrokers,
      logLevel: logLevel.WARN,
      logCreator: quietLogCreator,
    });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.disconnect()));
    if (admin) {
      for (const t of topics) await t.cleanup(); // sequential: see TestTopic.cleanup
      await admin.deleteGroups(groups).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('creates a topic with 3 partitions through the admin API', async () => {
    const topic = await newTopic(3);
    const listed = await admin.listTopics();
    expect(listed).toContain(topic);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(3);
    for (const p of metadata.topics[0]?.partitions ?? []) {
      expect(p.leader).toBeGreaterThanOrEqual(0);
    }
  });

  it('acknowledges an idempotent producer send with acks=all on every partition', async () => {
    const topic = await newTopic(3);
    const producer = track(kafka.producer({ idempotent: true, maxInFlightRequests: 1 }));
    await producer.connect();

    const results = await producer.send({
      topic,
      acks: -1,
      messages: [0, 1, 2].flatMap((partition) =>
        [0, 1].map((i) => ({ partition, key: `k-${partition}`, value: `v-${partition}-${i}` })),
      ),
    });
    expect(results.map((r) => r.errorCode)).toEqual(results.map(() => 0));
    expect(new Set(results.map((r) => r.partition))).toEqual(new Set([0, 1, 2]));

    // A second batch continues the offsets: the broker accepted the producer's sequence numbers.
    await producer.send({ topic, acks: -1, messages: [{ partition: 0, value: 'v-0-2' }] });
    const offsets = await admin.fetchTopicOffsets(topic);
    const high = Object.fromEntries(offsets.map((o) => [o.partition, Number(o.high)]));
    expect(high).toEqual({ 0: 3, 1: 2, 2: 2 });
  });

  it('joins a consumer group, consumes every message and commits offsets visible to fetchOffsets', async () => {
    const topic = await newTopic(3);
    const groupId = groupNamed('compat-group');
    const producer = track(kafka.producer({ idempotent: true, maxInFlightRequests: 1 }));
    await producer.connect();
    const sent = Array.from({ length: 9 }, (_, i) => ({
      partition: i % 3,
      key: `key-${i}`,
      value: `msg-${i}`,
    }));
    await producer.send({ topic, acks: -1, messages: sent });

    const consumer = track(
      kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 250 }),
    );
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: { partition: number; offset: string; value: string }[] = [];
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
    });
    await consumer.run({
      autoCommit: false,
      eachMessage: ({ partition, message }) => {
        received.push({ partition, offset: message.offset, value: message.value?.toString() ?? '' });
        return Promise.resolve();
      },
    });

    await waitFor(() => received.length >= sent.length, {
      timeoutMs: 60_000,
      description: `consumer group ${groupId} to receive ${sent.length} messages`,
    });
    expect(joined).toBe(true);
    expect(received.map((r) => r.value).sort()).toEqual(sent.map((m) => m.value).sort());

    // Commit the next offset to read, per partition (Kafka convention: last offset + 1).
    const next = new Map<number, number>();
    for (const r of received)
      next.set(r.partition, Math.max(next.get(r.partition) ?? 0, Number(r.offset) + 1));
    await consumer.commitOffsets(
      [...next].map(([partition, offset]) => ({ topic, partition, offset: String(offset) })),
    );

    const fetched = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committed = Object.fromEntries(
      (fetched[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]),
    );
    expect(committed).toEqual({ 0: 3, 1: 3, 2: 3 });

    await consumer.disconnect();
    const groups = await admin.describeGroups([groupId]);
    expect(groups.groups[0]?.state).toBe('Empty');
  });

  it('shows a committed transaction to a read_committed consumer and hides an aborted one', async () => {
    const topic = await newTopic(3);
    const producer = track(
      kafka.producer({
        transactionalId: uniqueName('compat-tx'),
        idempotent: true,
        maxInFlightRequests: 1,
      }),
    );
    await producer.connect();

    const committed1 = await producer.transaction();
    await committed1.send({ topic, acks: -1, messages: [{ key: 'a', value: 'committed-1' }] });
    await committed1.commit();

    const aborted = await producer.transaction();
    await aborted.send({ topic, acks: -1, messages: [{ key: 'a', value: 'aborted-1' }] });
    await aborted.abort();

    const committed2 = await producer.transaction();
    await committed2.send({ topic, acks: -1, messages: [{ key: 'a', value: 'committed-2' }] });
    await committed2.commit();

    const consumer = track(
      kafka.consumer({
        groupId: groupNamed('compat-rc'),
        readUncommitted: false,
        heartbeatInterval: 1_000,
        maxWaitTimeInMs: 250,
      }),
    );
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const values: string[] = [];
    await consumer.run({
      eachMessage: ({ message }) => {
        values.push(message.value?.toString() ?? '');
        return Promise.resolve();
      },
    });

    // Same key -> same partition, so committed-2 arrives after anything from the aborted txn.
    await waitFor(() => values.includes('committed-2'), {
      timeoutMs: 60_000,
      description: 'read_committed consumer to see the second committed transaction',
    });
    expect(values).toEqual(['committed-1', 'committed-2']);
    expect(values).not.toContain('aborted-1');

    // Control: the aborted record is in the log — a read_uncommitted consumer does see it.
    const uncommitted = track(
      kafka.consumer({
        groupId: groupNamed('compat-ru'),
        readUncommitted: true,
        heartbeatInterval: 1_000,
        maxWaitTimeInMs: 250,
      }),
    );
    await uncommitted.connect();
    await uncommitted.subscribe({ topic, fromBeginning: true });
    const rawValues: string[] = [];
    await uncommitted.run({
      eachMessage: ({ message }) => {
        rawValues.push(message.value?.toString() ?? '');
        return Promise.resolve();
      },
    });
    await waitFor(() => rawValues.includes('committed-2'), {
      timeoutMs: 60_000,
      description: 'read_uncommitted consumer to reach the second committed transaction',
    });
    expect(rawValues).toEqual(['committed-1', 'aborted-1', 'committed-2']);
  });
});
