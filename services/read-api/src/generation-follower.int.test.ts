import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, hashSecret } from '@cdp/http';
import { createLogger } from '@cdp/logging';
import { collectionsFor, switchGeneration, type CustomerDoc } from '@cdp/read-models';
import { createTestDb, listen, resolveInfra, waitFor, type TestDb, type Listening } from '@cdp/testing';
import { createApp } from './app';
import { followGeneration, type GenerationFollower } from './generation-follower';
import { customerDoc } from './read-model-docs.test-helper';

const KEY = 'key-follower';

describe('the read API after a rebuild switches the read-model generation', { timeout: 60_000 }, () => {
  let store: TestDb;
  let follower: GenerationFollower;
  let server: Listening;
  let url: string;

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'read_api_generation' });
    const { db } = store;
    await db
      .collection('api_keys')
      .insertOne({ _id: hashSecret(KEY) as never, tenantId: 't1', revokedAt: null });
    const profile = (suffix: string, name: string) =>
      db.collection<CustomerDoc>(collectionsFor(suffix).customers).insertOne(customerDoc('t1', { name }));
    await profile('', 'Before the rebuild');
    await profile('_g1', 'Rebuilt');
    const log = createLogger('generation-test', 'silent');
    const metrics = createMetrics('generation_test');
    follower = await followGeneration(
      db,
      (collections) => createApp({ db, log, metrics, checks: [], collections, lagCacheMs: 0 }),
      { log, pollMs: 50 },
    );
    server = await listen(createServer(follower.handle));
    url = server.url;
  });

  afterAll(async () => {
    follower?.stop();
    await server?.close();
    await store?.cleanup();
  });

  const name = async () => {
    const res = await fetch(`${url}/v1/customers/${customerDoc('t1').customerId}`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    return ((await res.json()) as { name: string }).name;
  };

  it('answers from the new generation once it is switched, without a restart', async () => {
    expect(await name()).toBe('Before the rebuild');
    await switchGeneration(store.db, '_g1');
    await waitFor(async () => (await name()) === 'Rebuilt', {
      timeoutMs: 10_000,
      description: 'the read API to serve the switched generation',
    });
    expect(follower.generation()).toBe('_g1');
  });
});
