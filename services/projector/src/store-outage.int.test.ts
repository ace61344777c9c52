import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { MongoClient, type Db } from 'mongodb';
import {
  eventCatalog,
  topicNames,
  type DomainEvent,
  type EventMetadata,
  type OrderSnapshot,
  type TopicNames,
} from '@cdp/contracts';
import { sampleCustomer, sampleOrder } from '@cdp/contracts/samples';
import { createEventCodec, createKafka, ensureTopics, pipelineTopics, type EventCodec } from '@cdp/kafka';
import { createLogger, type Logger } from '@cdp/logging';
import { collectionsFor, readModelSnapshot, type OrderDoc } from '@cdp/read-models';
import {
  createTestDb,
  findRepoRoot,
  deleteRegistrySubjects,
  resolveInfra,
  uniqueName,
  waitFor,
  type TestDb,
} from '@cdp/testing';
import { createProgressWriter } from './progress-writer';
import { createProjector, type Projector } from './projector';
import { createReadModelWriter } from './read-model-writer';

/** The FerretDB build the local infrastructure runs: its cache directory is keyed by its patches too. */
const ferretDbBin = () =>
  execFileSync('bash', [join(findRepoRoot(), 'infra/local/infra.sh'), 'ferretdb-bin'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
const TENANT = 't-outage';
const CUSTOMERS = 12;
const ORDERS = 60;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

const portAnswers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

/** A private FerretDB (SQLite files in `dataDir`): this test may kill it without harming anyone. */
function privateFerretDb(bin: string, port: number, dataDir: string) {
  let child: ChildProcess | null = null;
  return {
    async start() {
      child = spawn(
        bin,
        ['--listen-addr', `127.0.0.1:${port}`, '--data-dir', dataDir, '--log-level', 'error'],
        { stdio: 'ignore' },
      );
      await waitFor(() => portAnswers(port), { timeoutMs: 30_000, description: `FerretDB on ${port}` });
    },
    async kill() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

// A stream of customers and their orders: created pending, most paid later, some cancelled.
const at = (seq: number) => new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString();
const meta = (type: DomainEvent['type'], aggregateId: string, seq: number): EventMetadata => ({
  eventId: `outage-${seq}`,
  schemaVersion: 1,
  tenantId: TENANT,
  aggregateId,
  occurredAt: at(seq),
  recordedAt: at(seq),
  source: 'webhook',
  causationId: `raw-${seq}`,
});

function eventStream(): DomainEvent[] {
  const events: DomainEvent[] = [];
  let seq = 0;
  for (let i = 0; i < CUSTOMERS; i++) {
    seq++;
    const customerId = `c${i}`;
    events.push({
      type: 'CustomerUpserted',
      data: {
        customer: {
          ...sampleCustomer,
          customerId,
          updatedAt: at(seq),
          name: `Khách ${i}`,
          phone: `+8491${String(i).padStart(7, '0')}`,
        },
      },
      metadata: meta('CustomerUpserted', customerId, seq),
    });
  }
  for (let j = 0; j < ORDERS; j++) {
    const orderId = `o${j}`;
    const i = j % CUSTOMERS;
    const pending: OrderSnapshot = {
      ...sampleOrder,
      orderId,
      orderNumber: `#${1000 + j}`,
      createdAt: at(seq + 1),
      updatedAt: at(++seq),
      financialStatus: 'pending',
      financialStatusRaw: 'pending',
      totalPrice: String(100_000 * (j + 1)),
      buyer: {
        customerId: `c${i}`,
        name: `Khách ${i}`,
        email: null,
        phone: `+8491${String(i).padStart(7, '0')}`,
      },
    };
    events.push({
      type: 'OrderCreated',
      data: { order: pending },
      metadata: meta('OrderCreated', orderId, seq),
    });
    if (j % 3 !== 2) {
      const paid = {
        ...pending,
        updatedAt: at(++seq),
        financialStatus: 'paid' as const,
        financialStatusRaw: 'paid',
      };
      events.push({
        type: 'PaymentStatusChanged',
        data: { order: paid, previousStatus: 'pending', status: 'paid' },
        metadata: meta('PaymentStatusChanged', orderId, seq),
      });
    }
    if (j % 5 === 4) {
      const cancelled = { ...pending, updatedAt: at(++seq), cancelled: true, cancelledAt: at(seq) };
      events.push({
        type: 'OrderCancelled',
        data: { order: cancelled, reason: 'customer' },
        metadata: meta('OrderCancelled', orderId, seq),
      });
    }
  }
  return events;
}

/** The state each order must end in: that of its last event. */
function expectedOrders(events: DomainEvent[]) {
  const last = new Map<string, OrderSnapshot>();
  for (const e of events) if ('order' in e.data) last.set(e.data.order.orderId, e.data.order);
  return [...last.values()]
    .map((o) => ({ orderId: o.orderId, financialStatus: o.financialStatus, cancelled: o.cancelled }))
    .sort((a, b) => a.orderId.localeCompare(b.orderId));
}

type Snapshot = Awaited<ReturnType<typeof readModelSnapshot>>;

/** Per document: missing, extra, or which top-level fields differ (first 20). */
function differences(got: Snapshot, want: Snapshot): string[] {
  const out: string[] = [];
  for (const name of ['orders', 'customers', 'products'] as const) {
    const mine = new Map(got[name].map((d) => [d._id, d as Record<string, unknown>]));
    for (const w of want[name] as Record<string, unknown>[]) {
      const id = String(w['_id']);
      const g = mine.get(id);
      mine.delete(id);
      if (!g) out.push(`${name} ${id}: missing`);
      else {
        const fields = Object.keys({ ...w, ...g }).filter((k) => !isDeepStrictEqual(w[k], g[k]));
        if (fields.length > 0)
          out.push(
            `${name} ${id}: ${fields.map((k) => `${k} ${JSON.stringify(g[k])} ≠ ${JSON.stringify(w[k])}`).join('; ')}`,
          );
      }
    }
    for (const id of mine.keys()) out.push(`${name} ${id}: extra`);
  }
  return out.slice(0, 20);
}

describe('a store outage in the middle of the stream', () => {
  let topics: TopicNames;
  let prefix: string | undefined;
  let registryUrl: string;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let codec: EventCodec;
  let dataDir: string;
  let ferret: ReturnType<typeof privateFerretDb>;
  let privateClient: MongoClient;
  let reference: TestDb;
  const projectors: Projector[] = [];
  const warnings: { transient: boolean; msg: string }[] = [];
  const outcomes: string[] = [];
  const crashes: unknown[] = [];

  const makeProjector = (db: Db, groupId: string, log: Logger, projectorKafka: Kafka) =>
    createProjector({
      kafka: projectorKafka,
      db,
      codec,
      writer: createReadModelWriter(db, collectionsFor()),
      progress: createProgressWriter(db, ''),
      topics,
      groupId,
      log,
      metrics: { applied: (outcome) => outcomes.push(outcome), lastAppliedAt: () => undefined },
      collections: collectionsFor(),
      backoff: { baseMs: 50, maxMs: 500 },
    });

  beforeAll(async () => {
    const infra = await resolveInfra();
    registryUrl = infra.schemaRegistryUrl;
    prefix = `${uniqueName('outage')}.`;
    topics = topicNames(prefix);
    kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'store-outage-test' });
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, pipelineTopics(topics, 3));
    producer = kafka.producer();
    await producer.connect();
    codec = await createEventCodec({ registryUrl: infra.schemaRegistryUrl, topics });

    dataDir = await mkdtemp(join(tmpdir(), 'store-outage-'));
    const port = await freePort();
    ferret = privateFerretDb(ferretDbBin(), port, dataDir);
    await ferret.start();
    // Short server selection, so the outage reaches the projector as errors within a second.
    privateClient = new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true&retryWrites=false`, {
      serverSelectionTimeoutMS: 1000,
      heartbeatFrequencyMS: 500,
      connectTimeoutMS: 1000,
    });
    await privateClient.connect();
    reference = await createTestDb(infra.mongoUri, { prefix: 'outage_ref' });

    // The projector under test records its retries and any consumer crash (kafkajs restarts those
    // quietly); OUTAGE_LOG=debug also prints them.
    const base = createLogger('store-outage', process.env.OUTAGE_LOG ?? 'silent');
    const log = new Proxy(base, {
      get(target, prop, receiver) {
        if (prop !== 'warn') return Reflect.get(target, prop, receiver) as unknown;
        return (obj: { transient?: boolean }, msg?: string) => {
          if (process.env.OUTAGE_LOG) console.log('WARN', msg, JSON.stringify(obj).slice(0, 300));
          warnings.push({ transient: obj.transient === true, msg: msg ?? '' });
        };
      },
    });
    const spied = createKafka({ brokers: infra.kafkaBrokers, clientId: 'store-outage-projector' });
    const consumer = spied.consumer.bind(spied);
    spied.consumer = (config) => {
      const c = consumer(config);
      c.on(c.events.CRASH, (event) => {
        if (process.env.OUTAGE_LOG) console.log('CRASH', event.payload.error.stack);
        crashes.push(event.payload.error);
      });
      return c;
    };
    const db = privateClient.db('outage');
    await createReadModelWriter(db, collectionsFor()).open();
    await createReadModelWriter(reference.db, collectionsFor()).open();
    projectors.push(
      makeProjector(db, `${topics.orders}-under-test`, log, spied),
      makeProjector(reference.db, `${topics.orders}-reference`, createLogger('reference', 'silent'), kafka),
    );
    await Promise.all(projectors.map((p) => p.start()));
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(projectors.map((p) => p.stop()));
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin
      ?.deleteGroups([`${topics.orders}-under-test`, `${topics.orders}-reference`])
      .catch(() => undefined);
    await admin?.disconnect();
    await privateClient?.close(true).catch(() => undefined);
    await ferret?.kill();
    await reference?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (prefix) await deleteRegistrySubjects(registryUrl, [prefix]);
  });

  const produce = async (events: DomainEvent[]) => {
    for (const event of events) {
      await producer.send({
        topic: topics[eventCatalog[event.type].stream],
        messages: [{ key: `${TENANT}:${event.metadata.aggregateId}`, value: await codec.encode(event) }],
      });
    }
  };

  it('waits the outage out and ends with every event applied, nothing parked, no crash', async () => {
    const events = eventStream();
    const third = Math.ceil(events.length / 3);
    const [before, during, after] = [
      events.slice(0, third),
      events.slice(third, 2 * third),
      events.slice(2 * third),
    ];
    const underTest = privateClient.db('outage');
    const orders = underTest.collection<OrderDoc>(collectionsFor().orders);

    await produce(before);
    await waitFor(async () => (await orders.countDocuments()) > 0, {
      timeoutMs: 30_000,
      description: 'the projector to start writing',
    });
    await ferret.kill();
    await produce(during);
    // The store stays down until the projector has met the outage and is backing off.
    await waitFor(() => warnings.some((w) => w.transient) || crashes.length > 0, {
      timeoutMs: 30_000,
      description: 'the projector to meet the outage',
    });
    await sleep(2000);
    await ferret.start();
    await produce(after);

    // The reference is done once every order shows its last event.
    const ordersOf = (snap: Snapshot) =>
      (snap.orders as unknown as OrderDoc[]).map((o) => ({
        orderId: o.orderId,
        financialStatus: o.order.financialStatus,
        cancelled: o.order.cancelled,
      }));
    const want = await waitFor(
      async () => {
        const ref = await readModelSnapshot(reference.db, '');
        return JSON.stringify(ordersOf(ref)) === JSON.stringify(expectedOrders(events)) ? ref : null;
      },
      { timeoutMs: 60_000, description: 'the uninterrupted reference to apply every event' },
    );
    // Field order may differ between stores and write paths: compare values, not serialisations.
    await waitFor(async () => isDeepStrictEqual(await readModelSnapshot(underTest, ''), want), {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: 'the read models to equal the uninterrupted reference',
    }).catch(async (error: unknown) => {
      throw new Error(
        `${String(error)}\n${differences(await readModelSnapshot(underTest, ''), want).join('\n')}`,
      );
    });

    expect(want.customers.filter((c) => c._id.startsWith(`${TENANT}:c`))).toHaveLength(CUSTOMERS);
    expect(await projectors[0]?.parkingLot.list()).toEqual([]);
    expect(outcomes.filter((o) => o === 'parked')).toEqual([]);
    expect(crashes.map(String)).toEqual([]);
    expect(warnings.filter((w) => !w.transient)).toEqual([]);
  });
});
