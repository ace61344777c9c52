import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Kafka } from 'kafkajs';
import type { Db } from 'mongodb';
import { createCommandStore } from '@cdp/commands';
import { AppError, topicNames, type DomainEvent, type TopicNames } from '@cdp/contracts';
import { createEventCodec, createKafka, ensureTopics, pipelineTopics, type EventCodec } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import {
  createTestDb,
  deleteGroup,
  deleteRegistrySubjects,
  interceptCollection,
  readTopics as readRecords,
  resolveInfra,
  uniqueName,
  waitFor,
  type TestDb,
} from '@cdp/testing';
import { haravanCustomer, haravanOrder } from '../haravan/haravan-payloads.fixture';
import { createRawLog, type RawLog } from '../webhook/raw-log';
import type { RawRecord } from '../webhook/raw-record';
import { watchDeciderLag } from './decider-lag';
import { createDeciderWorker, type DeciderWorker } from './decider-worker';
import { createRawLogMarks, RAW_LOG_MARKS_COLLECTION } from './raw-log-marks';
import { createStateStore, STATE_COLLECTION } from './state-store';
import { createFailingPartitions } from './failing-partitions';
import { superviseDecider, type DeciderHooks, type RestartPolicy } from './supervised-decider';

const TENANT = 'shop-decider';

interface Read {
  topic: string;
  offset: string;
  headers: Record<string, string>;
  event: DomainEvent | null;
}

/** What the topics hold (committed records only), events decoded. */
async function readTopics(
  kafka: Kafka,
  codec: EventCodec,
  names: string[],
  expected: number,
): Promise<Read[]> {
  const read: Read[] = [];
  for (const { topic, offset, headers, value } of await readRecords(kafka, names, expected)) {
    const decoded = headers['x-event-type'] && value ? await codec.decode(value) : null;
    read.push({ topic, offset, headers, event: decoded?.ok ? decoded.value : null });
  }
  return read;
}

/** The first name a `CustomerUpserted` carries; false for anything else. */
const firstNameOf = (r: Read) => r.event?.type === 'CustomerUpserted' && r.event.data.customer.firstName;

const customerRecord = (id: number, firstName: string, updatedAt: string): RawRecord => ({
  key: `${TENANT}:customer:${id}`,
  body: Buffer.from(JSON.stringify({ ...haravanCustomer, id, first_name: firstName, updated_at: updatedAt })),
  tenantId: TENANT,
  haravanTopic: 'customers/update',
  orgId: '1',
  source: 'poll',
  receivedAt: new Date().toISOString(),
});

// Steps of one story over one decider and one raw partition: each reads what the ones before wrote.
describe('the decider, its transactions and the records it cannot write', () => {
  let kafka: Kafka;
  let admin: Admin;
  let topics: TopicNames;
  let prefix: string | undefined;
  let registryUrl: string;
  let store: TestDb;
  let rawLog: RawLog;
  let codec: EventCodec;
  let decider: DeciderWorker;
  // Stands for an event Avro cannot carry: the real codec refuses such events the same way.
  let refusing = true;
  // Stands for a registry that cannot be reached: a failure that may heal.
  let registryAway = false;
  const groupId = uniqueName('decider-group');
  const outcomes: string[] = [];

  /** Waits until Kafka shows the group committed the whole raw log, once `also` holds. */
  async function seenCaughtUp(also: () => boolean, timeoutMs: number) {
    let lag = -1;
    const watch = watchDeciderLag(admin, {
      groupId,
      rawTopic: topics.raw,
      onLag: (records) => (lag = records),
      onError: () => undefined,
      intervalMs: 200,
    });
    try {
      await waitFor(() => lag === 0 && also(), {
        timeoutMs,
        intervalMs: 100,
        description: 'the decider to be seen caught up',
      });
    } finally {
      watch.stop();
    }
  }

  beforeAll(async () => {
    const infra = await resolveInfra();
    registryUrl = infra.schemaRegistryUrl;
    prefix = `${uniqueName('decider')}.`;
    topics = topicNames(prefix);
    kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'decider-test' });
    admin = kafka.admin();
    await admin.connect();
    // One partition each: the records are decided in the order they are appended.
    await ensureTopics(admin, pipelineTopics(topics, 1));
    store = await createTestDb(infra.mongoUri, { prefix: 'decider' });
    codec = await createEventCodec({ registryUrl: infra.schemaRegistryUrl, topics });
    const refusingCodec: EventCodec = {
      encode: (event) => {
        const name = event.type === 'CustomerUpserted' ? event.data.customer.firstName : null;
        if (refusing && name === 'Poison')
          return Promise.reject(new AppError('ERR_CODEC_INVALID_EVENT', 'cannot be written', false));
        if (registryAway && name === 'Later')
          return Promise.reject(new AppError('ERR_CODEC_UNENCODABLE', 'registry away', true));
        return codec.encode(event);
      },
      encodeStored: (event) => codec.encodeStored(event),
      decode: (value) => codec.decode(value),
    };
    rawLog = await createRawLog(kafka, topics.raw);
    decider = createDeciderWorker({
      kafka,
      admin,
      codec: refusingCodec,
      states: createStateStore(store.db),
      marks: createRawLogMarks(store.db),
      commands: createCommandStore(store.db),
      topics,
      groupId,
      log: createLogger('decider-test', 'silent'),
      metrics: { decided: (outcome) => outcomes.push(outcome) },
    });
    await decider.start();
  }, 120_000);

  afterAll(async () => {
    await decider?.stop();
    await rawLog?.close();
    await admin?.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin?.deleteGroups([groupId]).catch(() => undefined);
    await admin?.disconnect();
    await store?.cleanup();
    if (prefix) await deleteRegistrySubjects(registryUrl, [prefix]);
  });

  it('parks the record, goes on with the next, and takes its change as unknown until it can be written', async () => {
    const poisoned = customerRecord(9001, 'Poison', '2026-11-20T03:00:00.000Z');
    await rawLog.append([poisoned, customerRecord(9002, 'Binh', '2026-11-20T03:00:00.000Z')]);

    const first = await readTopics(kafka, codec, [topics.customers, topics.deadLetter], 2);
    const parked = first.filter((r) => r.topic === topics.deadLetter);
    expect(parked).toHaveLength(1);
    expect(parked[0]?.headers['x-dlq-reason']).toMatch(/^ERR_CODEC_INVALID_EVENT: /);
    expect(parked[0]?.headers['x-dlq-origin']).toBe(`${topics.raw}/0/0`);
    expect(parked[0]?.headers['x-dlq-format']).toBe('json');
    const written = first.filter((r) => r.topic === topics.customers);
    expect(written.map(firstNameOf)).toEqual(['Binh']);
    expect(decider.running()).toBe(true);

    // The same snapshot again (a poll repeats it) once it can be written: a change not yet known.
    refusing = false;
    await rawLog.append([poisoned]);
    const second = await readTopics(kafka, codec, [topics.customers], 2);
    expect(second.map(firstNameOf)).toEqual(['Binh', 'Poison']);

    // Seen from Kafka, it has committed every raw record it read.
    await seenCaughtUp(() => true, 10_000);
    expect(decider.failingForMs()).toBe(0);
  });

  it('retries a record whose failure may heal, saying how long it has failed, and goes on once it heals', async () => {
    registryAway = true;
    try {
      await rawLog.append([customerRecord(9003, 'Later', '2026-11-20T03:00:00.000Z')]);
      await waitFor(() => decider.failingForMs() > 0, {
        timeoutMs: 30_000,
        intervalMs: 50,
        description: 'the decider to be failing',
      });
      expect(decider.running()).toBe(true);
    } finally {
      // Healed however this part ended, or the decider would retry the record through the tests below.
      registryAway = false;
    }
    const written = await readTopics(kafka, codec, [topics.customers], 3);
    expect(written.map(firstNameOf)).toEqual(['Binh', 'Poison', 'Later']);
    await waitFor(() => decider.failingForMs() === 0, {
      timeoutMs: 10_000,
      intervalMs: 50,
      description: 'the decider to have healed',
    });
  });

  it('decides a record that gives no events right after one that did, without failing its transaction', async () => {
    outcomes.length = 0;
    // Each change, then the same snapshot again: its transaction holds only the raw offset, and
    // starts while the coordinator may still be completing the commit just before it.
    const records = Array.from({ length: 15 }, (_, i) => {
      const record = customerRecord(
        9100,
        `Change${i}`,
        `2026-11-21T03:00:${String(i).padStart(2, '0')}.000Z`,
      );
      return [record, record];
    }).flat();
    await rawLog.append(records);

    const written = await readTopics(kafka, codec, [topics.customers], 3 + 15);
    expect(written.slice(3).map(firstNameOf)).toEqual(Array.from({ length: 15 }, (_, i) => `Change${i}`));
    await waitFor(() => outcomes.filter((o) => o === 'ok').length === records.length, {
      timeoutMs: 10_000,
      intervalMs: 50,
      description: 'every record decided',
    });
    expect(outcomes).not.toContain('transaction_failed');
  });
  it('commits past the transaction markers its own re-published records leave, so caught up it shows no lag', async () => {
    outcomes.length = 0;
    // An order embeds its customer, which the decider re-publishes to the raw topic in its transaction.
    await rawLog.append([
      {
        key: `${TENANT}:order:${haravanOrder.id}`,
        body: Buffer.from(JSON.stringify(haravanOrder)),
        tenantId: TENANT,
        haravanTopic: 'orders/create',
        orgId: '1',
        source: 'poll',
        receivedAt: new Date().toISOString(),
      },
    ]);
    await seenCaughtUp(() => outcomes.filter((o) => o === 'ok').length >= 2, 20_000);
  });
});

/** The client with its transactions' commits failing while `failure` (given the commit's number) gives an error. */
const failingCommits =
  (failure: (commit: number) => Error | null) =>
  (kafka: Kafka): Kafka => {
    let commits = 0;
    const failing = Object.create(kafka) as Kafka;
    failing.producer = (config) => {
      const producer = kafka.producer(config);
      const transaction = producer.transaction.bind(producer);
      producer.transaction = async () => {
        const tx = await transaction();
        const commit = tx.commit.bind(tx);
        tx.commit = async () => {
          const error = failure(commits++);
          if (error) throw error;
          return commit();
        };
        return tx;
      };
      return producer;
    };
    return failing;
  };

/**
 * A decider on topics, a consumer group and a store of its own; `kafkaFor` may wrap the client it
 * writes with; with a restart policy, supervised as ingest runs it. Not started.
 */
async function ownDecider(
  name: string,
  kafkaFor: (kafka: Kafka) => Kafka = (kafka) => kafka,
  supervised?: RestartPolicy,
  /** Where its states are kept, when not in its own store (another decider's). */
  statesIn?: Db,
) {
  const infra = await resolveInfra();
  const prefix = `${uniqueName(name)}.`;
  const topics = topicNames(prefix);
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: `${name}-test` });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, pipelineTopics(topics, 1));
  const store = await createTestDb(infra.mongoUri, { prefix: name });
  const codec = await createEventCodec({ registryUrl: infra.schemaRegistryUrl, topics });
  const rawLog = await createRawLog(kafka, topics.raw);
  const groupId = uniqueName(`${name}-group`);
  const outcomes: string[] = [];
  const log = createLogger(`${name}-test`, 'silent');
  const writing = kafkaFor(kafka);
  const create = (hooks?: DeciderHooks) =>
    createDeciderWorker({
      kafka: writing,
      admin,
      codec,
      states: createStateStore(statesIn ?? store.db),
      marks: createRawLogMarks(statesIn ?? store.db),
      commands: createCommandStore(store.db),
      topics,
      groupId,
      log,
      metrics: { decided: (outcome) => outcomes.push(outcome) },
      ...hooks,
    });
  const decider = supervised ? superviseDecider(create, { log, policy: supervised }) : create();
  return {
    db: store.db,
    admin,
    /** Another decider over the same topics, group and store. */
    create,
    kafka,
    topics,
    codec,
    rawLog,
    groupId,
    outcomes,
    decider,
    close: async () => {
      await decider.stop();
      await rawLog.close();
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
      await store.cleanup();
      await deleteRegistrySubjects(infra.schemaRegistryUrl, [prefix]);
    },
  };
}

describe('the decider writing several records in one transaction', () => {
  it('sends the same events once when the transaction fails after their states were stored', async () => {
    // The real broker, with the first two commits broken off (the chunk's, and its second try after
    // the failure): the states are stored, the events aborted, and the records read again.
    const { kafka, topics, codec, rawLog, outcomes, decider, close } = await ownDecider(
      'decider-chunk',
      failingCommits((n) => (n < 2 ? new Error('commit broken off') : null)),
    );
    try {
      const names = ['An', 'Binh', 'Chi', 'Dung', 'Em'];
      await rawLog.append(names.map((name, i) => customerRecord(9200 + i, name, '2026-11-22T03:00:00.000Z')));
      await decider.start();

      await waitFor(() => outcomes.filter((o) => o === 'ok').length === names.length, {
        timeoutMs: 30_000,
        intervalMs: 50,
        description: 'every record decided',
      });
      expect(outcomes).toContain('transaction_failed');
      // Read once all is committed, so a change sent twice would be among them.
      const written = await readTopics(kafka, codec, [topics.customers], names.length);
      expect(written.map(firstNameOf)).toEqual(names);
    } finally {
      await close();
    }
  });
});

describe('the decider whose transactions another producer took over', () => {
  it('makes no producer to take them back until the group assigns it the partition again', async () => {
    const { kafka, topics, codec, rawLog, groupId, outcomes, decider, close } =
      await ownDecider('decider-fenced');
    // Another instance's producer for raw partition 0, as after a rebalance this one has not heard of.
    const usurperGroup = uniqueName('usurper-group');
    const usurper = kafka.producer({
      transactionalId: `${groupId}-tx-0`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    const decided = (count: number) =>
      waitFor(() => outcomes.filter((o) => o === 'ok').length === count, {
        timeoutMs: 90_000,
        intervalMs: 50,
        description: `${count} records decided`,
      });
    try {
      await decider.start();
      await rawLog.append([customerRecord(9301, 'An', '2026-11-23T03:00:00.000Z')]);
      await decided(1);

      await usurper.connect();
      // Its first transaction takes the transactional id over, fencing the decider's producer.
      const transaction = await usurper.transaction();
      await rawLog.append([customerRecord(9302, 'Binh', '2026-11-23T03:00:00.000Z')]);
      await waitFor(() => outcomes.includes('transaction_failed'), {
        timeoutMs: 30_000,
        intervalMs: 50,
        description: "the decider's transaction fenced",
      });
      // kafkajs tries the partition again meanwhile: a new producer of the decider's would fence this one.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await transaction.sendOffsets({
        consumerGroupId: usurperGroup,
        topics: [{ topic: topics.raw, partitions: [{ partition: 0, offset: '0' }] }],
      });
      await transaction.commit();
      await usurper.disconnect();

      // Once kafkajs gives the partition up and rejoins, the group gives it back: decided once.
      await decided(2);
      const written = await readTopics(kafka, codec, [topics.customers], 2);
      expect(written.map(firstNameOf)).toEqual(['An', 'Binh']);
    } finally {
      await usurper.disconnect();
      await deleteGroup(kafka, usurperGroup);
      await close();
    }
  }, 150_000);
});

describe('the decider taking over a partition from an owner still at work', () => {
  it.each([
    { decided: 'two records', names: ['An', 'Binh'], noteBytes: 0 },
    // Past one fetch of a partition (4 MiB): skipped over the batches that follow too.
    {
      decided: 'more records than one batch holds',
      names: ['An', 'Binh', 'Cuong', 'Dao', 'Em', 'Giang'],
      noteBytes: 900_000,
    },
  ])(
    'decides none of $decided the earlier owner committed after this one read the group offsets',
    async ({ names, noteBytes }) => {
      // The earlier owner: its producer for raw partition 0, begun before this decider was assigned it.
      let earlier: { commit: () => Promise<void> } | null = null;
      const { kafka, topics, codec, rawLog, groupId, outcomes, decider, close } = await ownDecider(
        'decider-takeover',
        // Its last commit lands when this decider first connects a producer: after its consumer read
        // the group's (then empty) offsets and fetched the records.
        (client) => {
          const hooked = Object.create(client) as Kafka;
          hooked.producer = (config) => {
            const producer = client.producer(config);
            const connect = producer.connect.bind(producer);
            producer.connect = async () => {
              const last = earlier;
              earlier = null;
              await last?.commit();
              return connect();
            };
            return producer;
          };
          return hooked;
        },
      );
      const zombie = kafka.producer({
        transactionalId: `${groupId}-tx-0`,
        idempotent: true,
        maxInFlightRequests: 1,
      });
      try {
        const note = 'x'.repeat(noteBytes);
        await rawLog.append(
          names.map((name, i) => {
            const record = customerRecord(9501 + i, name, '2026-11-25T03:00:00.000Z');
            const body = { ...(JSON.parse(record.body.toString()) as object), note };
            return { ...record, body: Buffer.from(JSON.stringify(body)) };
          }),
        );
        await zombie.connect();
        // It decided them all: its transaction carries the raw offset past them.
        const transaction = await zombie.transaction();
        await transaction.sendOffsets({
          consumerGroupId: groupId,
          topics: [{ topic: topics.raw, partitions: [{ partition: 0, offset: String(names.length) }] }],
        });
        earlier = transaction;

        await decider.start();
        await rawLog.append([customerRecord(9599, 'Chi', '2026-11-25T03:00:00.000Z')]);
        await waitFor(() => outcomes.includes('ok'), {
          timeoutMs: 60_000,
          intervalMs: 50,
          description: 'the next record decided',
        });
        const written = await readTopics(kafka, codec, [topics.customers], 1);
        expect(written.map(firstNameOf)).toEqual(['Chi']);
        expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
      } finally {
        await zombie.disconnect();
        await close();
      }
    },
    120_000,
  );
});

describe('the decider on the topics of a new TOPIC_PREFIX, over the states of the old ones', () => {
  it('decides a record at the offset of a state’s last decision in the old raw topic, not replays it', async () => {
    const old = await ownDecider('decider-prefix-old');
    try {
      await old.decider.start();
      await old.rawLog.append([customerRecord(9601, 'An', '2026-11-26T03:00:00.000Z')]);
      await waitFor(() => old.outcomes.includes('ok'), { timeoutMs: 30_000, description: 'An decided' });
      await old.decider.stop();

      const renamed = await ownDecider('decider-prefix-new', undefined, undefined, old.db);
      try {
        await renamed.decider.start();
        // Offset 0 of the new raw topic, as An's was of the old one.
        await renamed.rawLog.append([customerRecord(9601, 'Binh', '2026-11-26T04:00:00.000Z')]);
        await waitFor(() => renamed.outcomes.includes('ok'), {
          timeoutMs: 30_000,
          description: 'Binh decided',
        });
        const written = await readTopics(renamed.kafka, renamed.codec, [renamed.topics.customers], 1);
        expect(written.map(firstNameOf)).toEqual(['Binh']);
      } finally {
        await renamed.close();
      }
    } finally {
      await old.close();
    }
  }, 120_000);
});

/** Two customers' records decided, and committed, on the raw topic. */
async function decideTwo(rawLog: RawLog, outcomes: string[], firstId: number) {
  await rawLog.append([
    customerRecord(firstId, 'An', '2026-12-02T03:00:00.000Z'),
    customerRecord(firstId + 1, 'Binh', '2026-12-02T03:00:00.000Z'),
  ]);
  await waitFor(() => outcomes.filter((o) => o === 'ok').length === 2, {
    timeoutMs: 30_000,
    description: 'both decided',
  });
}

/** A decider that tells its crash: kafkajs stops a consumer for good on a non-retriable error. */
const crashing = (create: (hooks?: DeciderHooks) => DeciderWorker) => {
  const crashes: unknown[] = [];
  const decider = create({ onCrash: (error) => crashes.push(error), failing: createFailingPartitions() });
  // kafkajs hands over its own error, the decider's as its cause.
  const refused = () =>
    crashes.some(
      (e) =>
        e instanceof Error && e.cause instanceof AppError && e.cause.code === 'ERR_INGEST_RAW_LOG_BEHIND',
    );
  return { decider, refused };
};

describe('the decider over a raw topic deleted and made again', () => {
  /** The raw topic deleted and made again, empty, as after a lost Kafka volume. */
  async function remakeRaw(admin: Admin, topics: TopicNames) {
    await admin.deleteTopics({ topics: [topics.raw] });
    await waitFor(async () => !(await admin.listTopics()).includes(topics.raw), {
      timeoutMs: 30_000,
      description: 'the raw topic gone',
    });
    await ensureTopics(
      admin,
      pipelineTopics(topics, 1).filter((t) => t.topic === topics.raw),
    );
  }

  /** A new decider started, seen refusing the raw log, then stopped. */
  async function refusedOnStart(create: (hooks?: DeciderHooks) => DeciderWorker) {
    const next = crashing(create);
    try {
      await next.decider.start();
      await waitFor(next.refused, { timeoutMs: 30_000, description: 'the raw log refused' });
    } finally {
      await next.decider.stop();
    }
  }

  it.each([
    { holding: 'fewer records than it had committed', names: ['Chi'] },
    { holding: 'more records than it had committed', names: ['Chi', 'Dao', 'Em'] },
  ])(
    'refuses, once started again, to decide a log made again holding $holding',
    async ({ names }) => {
      const { topics, rawLog, outcomes, decider, create, admin, close } = await ownDecider('decider-remade');
      try {
        await decider.start();
        await decideTwo(rawLog, outcomes, 9801);
        await decider.stop();

        await remakeRaw(admin, topics);
        await rawLog.append(
          names.map((name, i) => customerRecord(9801 + i, name, '2026-12-02T04:00:00.000Z')),
        );
        await refusedOnStart(create);
        expect(outcomes.filter((o) => o === 'ok')).toHaveLength(2);
      } finally {
        await close();
      }
    },
    120_000,
  );

  it('keeps refusing a log that lost records, though it grows back past where it committed', async () => {
    const { db, topics, rawLog, groupId, outcomes, decider, create, admin, close } =
      await ownDecider('decider-lost-tail');
    try {
      await decider.start();
      await decideTwo(rawLog, outcomes, 9841);
      await decider.stop();
      // Two more records decided, then lost with the log's tail (an older backup restored).
      await db
        .collection<{ _id: string; through: number }>(RAW_LOG_MARKS_COLLECTION)
        .updateOne({ _id: `${topics.raw}/0` }, { $set: { through: 4 } });
      await admin.deleteGroups([groupId]);

      for (const names of [[], ['Chi', 'Dao']]) {
        await rawLog.append(
          names.map((name, i) => customerRecord(9843 + i, name, '2026-12-02T04:00:00.000Z')),
        );
        await refusedOnStart(create);
      }
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(2);
    } finally {
      await close();
    }
  }, 150_000);

  it('stops deciding when the topic is made again under it', async () => {
    const { db, topics, rawLog, outcomes, create, admin, close } = await ownDecider('decider-remade-live');
    const running = crashing(create);
    try {
      await running.decider.start();
      await decideTwo(rawLog, outcomes, 9811);

      await remakeRaw(admin, topics);
      await rawLog.append([customerRecord(9811, 'Chi', '2026-12-02T04:00:00.000Z')]);
      // kafkajs may first fail on the partition gone, restart and rejoin.
      await waitFor(running.refused, { timeoutMs: 90_000, description: 'the raw log refused' });
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(2);
      // Kept, whichever check refused it.
      expect((await createRawLogMarks(db).read(topics.raw, 0))?.refused).toContain(`${topics.raw}/0`);
    } finally {
      await running.decider.stop();
      await close();
    }
  }, 150_000);
});

describe("the decider whose group's offsets expired while it was stopped", () => {
  it('reads on from where it committed, not from the start, sending no event twice', async () => {
    const { kafka, topics, codec, rawLog, groupId, outcomes, decider, create, admin, close } =
      await ownDecider('decider-expired');
    try {
      await decider.start();
      await decideTwo(rawLog, outcomes, 9821);
      await decider.stop();
      // As the broker drops an empty group's offsets after offsets.retention.minutes.
      await admin.deleteGroups([groupId]);

      const next = create();
      try {
        await next.start();
        // Committed for the group at once, though nothing new came: its lag counts from there.
        await waitFor(
          async () => {
            const [raw] = await admin.fetchOffsets({ groupId, topics: [topics.raw] });
            return raw?.partitions[0]?.offset === '2';
          },
          { timeoutMs: 30_000, description: "the group's offset back at the mark" },
        );
        await rawLog.append([customerRecord(9821, 'Chi', '2026-12-02T04:00:00.000Z')]);
        await waitFor(() => outcomes.filter((o) => o === 'ok').length === 3, {
          timeoutMs: 30_000,
          description: 'Chi decided',
        });
        const written = await readTopics(kafka, codec, [topics.customers], 3);
        expect(written.map(firstNameOf)).toEqual(['An', 'Binh', 'Chi']);
        expect(outcomes.filter((o) => o === 'ok')).toHaveLength(3);
      } finally {
        await next.stop();
      }
    } finally {
      await close();
    }
  }, 120_000);
  it('replaces a print of the first record taken before anything was committed', async () => {
    const { db, topics, rawLog, groupId, outcomes, create, admin, close } =
      await ownDecider('decider-stale-print');
    // Taken from a log made again before the decider first committed.
    await db
      .collection<{ _id: string; first: string }>(RAW_LOG_MARKS_COLLECTION)
      .insertOne({ _id: `${topics.raw}/0`, first: 'a print of another log' });
    try {
      const first = crashing(create);
      await first.decider.start();
      await decideTwo(rawLog, outcomes, 9851);
      await first.decider.stop();
      await admin.deleteGroups([groupId]);

      const next = crashing(create);
      try {
        await next.decider.start();
        await rawLog.append([customerRecord(9851, 'Chi', '2026-12-02T04:00:00.000Z')]);
        await waitFor(() => outcomes.filter((o) => o === 'ok').length === 3, {
          timeoutMs: 30_000,
          description: 'Chi decided',
        });
        expect(next.refused()).toBe(false);
      } finally {
        await next.decider.stop();
      }
    } finally {
      await close();
    }
  }, 120_000);
});

describe('the decider kafkajs stops for good', () => {
  it('is replaced, and the new one decides the record the old one failed on, once', async () => {
    const { kafka, topics, codec, rawLog, outcomes, decider, close } = await ownDecider(
      'decider-supervised',
      // As a broker error kafkajs counts non-retriable (INVALID_TXN_STATE, say): no restart of its own.
      failingCommits((n) =>
        n === 0 ? Object.assign(new Error('the transaction cannot commit'), { retriable: false }) : null,
      ),
      { firstDelayMs: 100, maxDelayMs: 1_000, stableMs: 60_000, loopAfter: 3 },
    );
    try {
      await decider.start();
      await rawLog.append([customerRecord(9401, 'An', '2026-11-24T03:00:00.000Z')]);
      await waitFor(() => outcomes.includes('ok'), {
        timeoutMs: 60_000,
        intervalMs: 50,
        description: 'the record decided by the new decider',
      });
      expect(outcomes.filter((o) => o === 'transaction_failed')).toHaveLength(1);
      expect(decider.running()).toBe(true);
      const written = await readTopics(kafka, codec, [topics.customers], 1);
      expect(written.map(firstNameOf)).toEqual(['An']);
    } finally {
      await close();
    }
  }, 120_000);
});

describe('the decider reading again a record a newer release decided', () => {
  /** A store whose first stored decision is changed by `newer`, as a newer release would have stored it. */
  const storedByNewer = (db: Db, newer: (event: Record<string, unknown>) => void) => {
    let first = true;
    return interceptCollection(db, STATE_COLLECTION, (member, original) => {
      if (member !== 'bulkWrite' || !first) return original;
      return (
        ops: { replaceOne: { replacement: { lastDecision: { events: Record<string, unknown>[] } } } }[],
        ...rest: unknown[]
      ) => {
        first = false;
        for (const op of ops) for (const event of op.replaceOne.replacement.lastDecision.events) newer(event);
        return (original as (...a: unknown[]) => unknown)(ops, ...rest);
      };
    });
  };

  it.each([
    [
      'sends its events without the fields this release does not know',
      (event: Record<string, unknown>) => {
        (event.data as { customer: Record<string, unknown> }).customer.loyaltyTier = 'gold';
      },
      'ok',
      ['An', 'Binh'],
    ],
    [
      'parks it when an event is of a type this release does not know, and goes on',
      (event: Record<string, unknown>) => {
        event.type = 'CustomerMerged';
      },
      'dead_letter',
      ['Binh'],
    ],
  ])(
    '%s',
    async (_, newer, outcome, names) => {
      const states = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'decider-newer' });
      // The first commit broken off after the states were stored: the record is read again.
      const { kafka, topics, codec, rawLog, outcomes, decider, close } = await ownDecider(
        'decider-newer',
        failingCommits((n) => (n < 1 ? new Error('commit broken off') : null)),
        undefined,
        storedByNewer(states.db, newer),
      );
      try {
        await rawLog.append([customerRecord(9700, 'An', '2026-11-27T03:00:00.000Z')]);
        await decider.start();
        await waitFor(() => outcomes.includes(outcome), { timeoutMs: 30_000, description: outcome });
        // The next record of the aggregate is decided as usual.
        await rawLog.append([customerRecord(9700, 'Binh', '2026-11-27T04:00:00.000Z')]);
        await waitFor(() => outcomes.filter((o) => o === 'ok' || o === 'dead_letter').length === 2, {
          timeoutMs: 30_000,
          description: 'the next record decided',
        });
        const written = await readTopics(kafka, codec, [topics.customers], names.length);
        expect(written.map(firstNameOf)).toEqual(names);
      } finally {
        await close();
        await states.cleanup();
      }
    },
    120_000,
  );
});
