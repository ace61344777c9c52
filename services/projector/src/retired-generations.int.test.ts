import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin } from 'kafkajs';
import { createKafka } from '@cdp/kafka';
import { collectionsFor, startRebuild, switchGeneration } from '@cdp/read-models';
import { createTestDb, resolveInfra, uniqueName, type TestDb } from '@cdp/testing';
import { dropRetiredGenerations } from './retired-generations';

describe('generations a switch retired', { timeout: 60_000 }, () => {
  let store: TestDb;
  let admin: Admin;

  beforeAll(async () => {
    const infra = await resolveInfra();
    store = await createTestDb(infra.mongoUri, { prefix: 'retired_generations' });
    admin = createKafka({ brokers: infra.kafkaBrokers, clientId: uniqueName('retired') }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await store?.cleanup();
  });

  it('are dropped, while the served one, the one being rebuilt and unrelated collections stay', async () => {
    const { db } = store;
    const names = async () => (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    for (const suffix of ['', '_g1', '_g2', '_g3'])
      for (const name of Object.values<string>(collectionsFor(suffix)))
        await db.collection(name).insertOne({ _id: 'x' as never });
    await db.collection('orders_archive').insertOne({ _id: 'x' as never });
    await db.collection('tenants').insertOne({ _id: 'x' as never });
    await switchGeneration(db, '_g2');
    await startRebuild(db, '_g3');

    const dropped = await dropRetiredGenerations({ db, admin, topicPrefix: uniqueName('retired') });

    expect(dropped).toEqual(['', '_g1']);
    const left = await names();
    for (const suffix of ['_g2', '_g3'])
      for (const name of Object.values<string>(collectionsFor(suffix))) expect(left).toContain(name);
    for (const suffix of ['', '_g1'])
      for (const name of Object.values<string>(collectionsFor(suffix))) expect(left).not.toContain(name);
    expect(left).toEqual(expect.arrayContaining(['orders_archive', 'tenants']));
  });
});
