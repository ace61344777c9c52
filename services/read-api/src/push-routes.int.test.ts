import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMMANDS_COLLECTION,
  createCommandStore,
  type CommandStore,
  type PushCommandDoc,
} from '@cdp/commands';
import { createMetrics, hashSecret } from '@cdp/http';
import { createLogger } from '@cdp/logging';
import { sampleAddress } from '@cdp/contracts/samples';
import { defaultCollections, receiverIdOf, type CustomerDoc, type OrderDoc } from '@cdp/read-models';
import { createTestDb, listen, resolveInfra, type TestDb, type Listening } from '@cdp/testing';
import { createApp } from './app';
import { customerDoc, orderDoc } from './read-model-docs.test-helper';

const KEYS = { t1: 'push-key-one', t2: 'push-key-two', t3: 'push-key-three', t4: 'push-key-four' };
const receiverId = receiverIdOf('phone:+84900000009');

describe('push commands through the read API (R22–R24)', { timeout: 30_000 }, () => {
  let testDb: TestDb;
  let server: Listening;
  let url: string;
  let commands: CommandStore;

  const call = async (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${headers['key'] ?? KEYS.t1}`,
        'content-type': 'application/json',
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown> & { items: { customerId: string }[] },
    };
  };
  const stored = async (commandId: unknown) =>
    (await commands.get('t1', String(commandId))) as PushCommandDoc;

  beforeAll(async () => {
    const infra = await resolveInfra();
    testDb = await createTestDb(infra.mongoUri, { prefix: 'push_routes' });
    const db = testDb.db;
    commands = createCommandStore(db);
    await db
      .collection<{ _id: string; tenantId: string; revokedAt: null }>('api_keys')
      .insertMany(
        Object.entries(KEYS).map(([tenantId, key]) => ({ _id: hashSecret(key), tenantId, revokedAt: null })),
      );
    await db.collection<CustomerDoc>(defaultCollections.customers).insertMany([
      customerDoc('t1', { customerId: '5001', haravanId: '5001', note: 'VIP' }),
      customerDoc('t1', {
        customerId: receiverId,
        haravanId: null,
        isBuyer: false,
        name: 'Trần Thị Bình',
        firstName: null,
        lastName: null,
        phone: '+84900000009',
      }),
      customerDoc('t1', { customerId: '5003', haravanId: '5003', deleted: true }),
      customerDoc('t2', { customerId: '7001', haravanId: '7001' }),
      customerDoc('t3', { customerId: '9001', haravanId: '9001' }),
      customerDoc('t4', { customerId: '9101', haravanId: '9101' }),
    ]);
    // Ingest recorded Haravan's app/uninstalled for t3.
    // And that Haravan refused t4's token, revoked without an uninstall.
    await db
      .collection<{ _id: string; uninstalledAt?: Date; credentialsRefusedAt?: Date }>('tenants')
      .insertMany([
        { _id: 't3', uninstalledAt: new Date() },
        { _id: 't4', credentialsRefusedAt: new Date() },
      ]);
    const app = createApp({
      db,
      log: createLogger('test', 'silent'),
      metrics: createMetrics('test'),
      checks: [],
    });
    server = await listen(app);
    url = server.url;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await testDb?.cleanup();
  });

  it("accepts a customer push as a pending command: an update of its Haravan customer, the Facebook link to set in Haravan's note", async () => {
    const res = await call('POST', '/v1/customers/5001/push-to-haravan', {
      facebookUrl: 'https://facebook.com/an',
    });

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      kind: 'customer',
      customerId: '5001',
      status: 'pending',
      haravanId: null,
    });
    // The note is Haravan's when the update is sent: the CDP's copy ('VIP') may be stale.
    const command = await stored(res.body['commandId']);
    expect(command).toMatchObject({
      request: { method: 'PUT', path: 'customers/5001.json' },
      facebookUrl: 'https://facebook.com/an',
    });
    expect(command.request.body).toEqual({ customer: {} });
  });

  it("sends no note of a linked receiver's own (it has none) with its Facebook link, which leaves the merchant's note in Haravan", async () => {
    const customers = testDb.db.collection<CustomerDoc>(defaultCollections.customers);
    const receiver = receiverIdOf('phone:+84900000012');
    await customers.insertOne(
      customerDoc('t1', {
        customerId: receiver,
        haravanId: null,
        isBuyer: false,
        note: null,
        phone: '+84900000012',
      }),
    );
    const create = await stored(
      (await call('POST', `/v1/customers/${receiver}/push-to-haravan`, {})).body['commandId'],
    );
    await commands.claim(create, 'a-sender');
    await commands.link(create, '5012');

    const res = await call('POST', `/v1/customers/${receiver}/push-to-haravan`, {
      facebookUrl: 'https://facebook.com/binh',
    });

    expect(res.status).toBe(202);
    const command = await stored(res.body['commandId']);
    expect(command).toMatchObject({
      request: { method: 'PUT', path: 'customers/5012.json' },
      facebookUrl: 'https://facebook.com/binh',
    });
    expect(command.request.body).toEqual({ customer: {} });
  });

  it('creates a receiver in Haravan, with the edits given, and keeps them as the update it stands for once linked', async () => {
    const res = await call('POST', `/v1/customers/${receiverId}/push-to-haravan`, {
      email: 'binh@example.vn',
      phone: '0900 000 009',
    });

    expect(res.status).toBe(202);
    const command = await stored(res.body['commandId']);
    expect(command.linkedUpdate).toEqual({ email: 'binh@example.vn', phone: '+84900000009' });
    expect(command.request).toMatchObject({
      method: 'POST',
      path: 'customers.json',
      body: {
        customer: {
          first_name: 'Bình',
          last_name: 'Trần Thị',
          email: 'binh@example.vn',
          phone: '+84900000009',
        },
      },
    });
  });

  it('gives back the same command for a repeated Idempotency-Key', async () => {
    const first = await call(
      'POST',
      '/v1/customers/5001/push-to-haravan',
      { name: 'Lê An' },
      { 'idempotency-key': 'retry-1' },
    );
    const again = await call(
      'POST',
      '/v1/customers/5001/push-to-haravan',
      { name: 'Lê An' },
      { 'idempotency-key': 'retry-1' },
    );

    expect(again.body['commandId']).toBe(first.body['commandId']);
    expect(
      await testDb.db.collection(COMMANDS_COLLECTION).countDocuments({ commandId: first.body['commandId'] }),
    ).toBe(1);
  });

  it('answers 422 to an Idempotency-Key given again with another request, and pushes nothing for it', async () => {
    const first = await call(
      'POST',
      '/v1/customers/5001/push-to-haravan',
      { name: 'Lê An' },
      { 'idempotency-key': 'reused-1' },
    );
    expect(first.status).toBe(202);
    const commandCount = () => testDb.db.collection(COMMANDS_COLLECTION).countDocuments({ tenantId: 't1' });
    const accepted = await commandCount();
    for (const [path, body] of [
      ['/v1/customers/5001/push-to-haravan', { name: 'Lê Bình' }],
      ['/v1/customers/5002/push-to-haravan', { name: 'Lê An' }],
    ] as const) {
      expect(await call('POST', path, body, { 'idempotency-key': 'reused-1' }), path).toMatchObject({
        status: 422,
        body: { error: { code: 'ERR_IDEMPOTENCY_KEY_REUSED' } },
      });
    }
    expect(await commandCount()).toBe(accepted);
  });

  it('gives a retry its command back although the customer reached Haravan meanwhile', async () => {
    const customers = testDb.db.collection<CustomerDoc>(defaultCollections.customers);
    await customers.insertOne(
      customerDoc('t1', { customerId: 'cdp-only-1', haravanId: null, isBuyer: false, phone: '+84900000011' }),
    );
    const retry = { 'idempotency-key': 'linked-retry' };
    const first = await call('POST', '/v1/customers/cdp-only-1/push-to-haravan', {}, retry);
    expect(first.status).toBe(202);
    // Haravan's echo of the push made it a Haravan customer: a new push without edits is refused now.
    await customers.updateOne({ customerId: 'cdp-only-1' }, { $set: { haravanId: '8801' } });
    expect((await call('POST', '/v1/customers/cdp-only-1/push-to-haravan', {})).status).toBe(400);

    const again = await call('POST', '/v1/customers/cdp-only-1/push-to-haravan', {}, retry);
    expect(again).toMatchObject({ status: 202, body: { commandId: first.body['commandId'] } });
  });

  it("answers 404 for another tenant's customer, 409 for a deleted one and 400 for bad input", async () => {
    expect((await call('POST', '/v1/customers/7001/push-to-haravan', {})).status).toBe(404);
    // A Haravan customer pushed with nothing to change: nothing is sent.
    expect(await call('POST', '/v1/customers/5001/push-to-haravan', {})).toMatchObject({
      status: 400,
      body: { error: { code: 'ERR_NOTHING_TO_PUSH' } },
    });
    expect(await call('POST', '/v1/customers/5003/push-to-haravan', {})).toMatchObject({
      status: 409,
      body: { error: { code: 'ERR_CUSTOMER_DELETED' } },
    });
    const bad = await call('POST', '/v1/customers/5001/push-to-haravan', {
      email: 'nope',
      facebookUrl: 'ftp://x',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/body\.email.*body\.facebookUrl/);
    expect((await call('POST', '/v1/customers/5001/push-to-haravan', { colour: 'red' })).status).toBe(400);
    expect(await call('POST', '/v1/customers/5001/push-to-haravan', '{"name":')).toMatchObject({
      status: 400,
      body: { error: { code: 'ERR_BAD_JSON' } },
    });
  });

  it('refuses a body that is not JSON with 415 and pushes nothing, and takes a push without a body', async () => {
    const pushes = testDb.db.collection(COMMANDS_COLLECTION);
    const before = await pushes.countDocuments();
    const edits = { email: 'binh@example.vn', name: 'Trần Thị Bình' };
    const order = {
      pushToHaravan: true,
      customerId: '5001',
      lineItems: [{ variantId: '1001', quantity: 1 }],
    };
    const notJson = { status: 415, body: { error: { code: 'ERR_NOT_JSON' } } };
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const headers = { 'content-type': type };
      expect(await call('POST', `/v1/customers/${receiverId}/push-to-haravan`, edits, headers)).toMatchObject(
        notJson,
      );
      expect(await call('POST', '/v1/orders', order, headers)).toMatchObject(notJson);
    }
    expect(await pushes.countDocuments()).toBe(before);

    // The body is optional: a push without one creates the contact as the CDP has it, whatever the type says.
    for (const headers of [{}, { 'content-type': 'text/plain' }] as Record<string, string>[]) {
      const bare = await fetch(`${url}/v1/customers/${receiverId}/push-to-haravan`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEYS.t1}`, ...headers },
      });
      expect(bare.status).toBe(202);
    }
    expect((await call('POST', `/v1/customers/${receiverId}/push-to-haravan`)).status).toBe(202);
  });

  it('refuses pushes to a shop whose token Haravan refuses, until new credentials are set', async () => {
    const pushed = await call('POST', '/v1/customers/9101/push-to-haravan', { name: 'X' }, { key: KEYS.t4 });
    expect(pushed).toMatchObject({
      status: 409,
      body: { error: { code: 'ERR_TENANT_CREDENTIALS_REFUSED' } },
    });
    expect((await call('GET', '/v1/customers/9101', undefined, { key: KEYS.t4 })).status).toBe(200);
  });

  it('refuses pushes to a shop that uninstalled the app, and still serves its reads', async () => {
    const key = { key: KEYS.t3 };
    const refused = { status: 409, body: { error: { code: 'ERR_TENANT_UNINSTALLED' } } };
    expect(await call('POST', '/v1/customers/9001/push-to-haravan', { name: 'X' }, key)).toMatchObject(
      refused,
    );
    expect(
      await call(
        'POST',
        '/v1/orders',
        { pushToHaravan: true, customerId: '9001', lineItems: [{ variantId: '1001', quantity: 1 }] },
        key,
      ),
    ).toMatchObject(refused);
    expect((await call('GET', '/v1/customers/9001', undefined, key)).status).toBe(200);
    // A retry of a push accepted before the uninstall gets its command back, as any retry does.
    const before = await commands.accept({
      tenantId: 't3',
      kind: 'customer',
      cdpId: '9001',
      request: { method: 'PUT', path: 'customers/9001.json', body: {}, topic: 'customers/update' },
      idempotencyKey: 'before-uninstall',
    });
    const retried = await call(
      'POST',
      '/v1/customers/9001/push-to-haravan',
      { name: 'X' },
      { ...key, 'idempotency-key': 'before-uninstall' },
    );
    expect(retried).toMatchObject({ status: 202, body: { commandId: before.commandId, status: 'pending' } });
  });

  it('accepts an order to push for a Haravan buyer, and refuses one for a contact not in Haravan or not to be pushed', async () => {
    const order = {
      pushToHaravan: true,
      customerId: '5001',
      lineItems: [{ variantId: '1001', quantity: 1 }],
    };
    const res = await call('POST', '/v1/orders', order);
    expect(res).toMatchObject({ status: 202, body: { kind: 'order', customerId: null, status: 'pending' } });
    expect((await stored(res.body['commandId'])).request.body).toMatchObject({
      order: { customer: { id: 5001 } },
    });

    expect(await call('POST', '/v1/orders', { ...order, customerId: receiverId })).toMatchObject({
      status: 409,
      body: { error: { code: 'ERR_CUSTOMER_NOT_IN_HARAVAN' } },
    });
    const local = await call('POST', '/v1/orders', { ...order, pushToHaravan: false });
    expect(local.status).toBe(400);
    expect(JSON.stringify(local.body)).toContain('pushToHaravan');
    // Haravan refuses a negative price: refused here, before a command that could only fail.
    const negative = await call('POST', '/v1/orders', {
      ...order,
      lineItems: [{ title: 'x', quantity: 1, price: '-500000' }],
    });
    expect(negative.status).toBe(400);
    expect(JSON.stringify(negative.body)).toContain('body.lineItems.0.price');
  });

  it("shows a command's progress to its own tenant only", async () => {
    const res = await call('POST', '/v1/customers/5001/push-to-haravan', { name: 'Lê An' });
    const path = `/v1/commands/${String(res.body['commandId'])}`;
    const doc = await stored(res.body['commandId']);
    await commands.claim(doc, 'a-sender');
    expect((await call('GET', path)).body).toMatchObject({ status: 'pending' });
    await commands.succeeded(doc, '5001');
    expect((await call('GET', path)).body).toMatchObject({
      status: 'succeeded',
      haravanId: '5001',
      error: null,
    });
    expect((await call('GET', path, undefined, { key: KEYS.t2 })).status).toBe(404);
  });

  it('serves a pushed receiver as the Haravan customer it became, and lists only that one (R24)', async () => {
    await testDb.db.collection<OrderDoc>(defaultCollections.orders).insertMany([
      // Shipped to the receiver, bought by someone else.
      orderDoc('t1', {
        orderId: '6001',
        shippingAddress: { ...sampleAddress, name: 'Trần Thị Bình', phone: '0900000009' },
      }),
      // Bought by the customer the receiver became.
      orderDoc('t1', { orderId: '6002', buyer: { customerId: '5009', name: 'B', email: null, phone: null } }),
    ]);
    const res = await call('POST', `/v1/customers/${receiverId}/push-to-haravan`, {});
    const doc = await stored(res.body['commandId']);
    await commands.claim(doc, 'a-sender');
    await commands.link(doc, '5009');
    await commands.succeeded(doc, '5009');
    // Before Haravan's echo is projected, the contact is still served as itself.
    expect((await call('GET', `/v1/customers/${receiverId}`)).body).toMatchObject({ customerId: receiverId });

    await testDb.db
      .collection<CustomerDoc>(defaultCollections.customers)
      .insertOne(customerDoc('t1', { customerId: '5009', haravanId: '5009', phone: '+84900000009' }));

    expect((await call('GET', `/v1/customers/${receiverId}`)).body).toMatchObject({ customerId: '5009' });
    // Each id keeps its orders: those shipped to the receiver, those the customer bought.
    const orderIds = async (customerId: string) =>
      (await call('GET', `/v1/customers/${customerId}/orders`)).body.items.map(
        (o) => (o as unknown as { orderId: string }).orderId,
      );
    expect(await orderIds(receiverId)).toEqual(['6001']);
    expect(await orderIds('5009')).toEqual(['6002']);
    const found = await call('GET', '/v1/customers?phone=0900000009');
    expect(found.body.items.map((c) => c.customerId)).toEqual(['5009']);
    // No cursor to a page holding only the receiver, left out: an empty page.
    const paged = await call('GET', '/v1/customers?phone=0900000009&limit=1');
    expect([paged.body.items.map((c) => c.customerId), paged.body['nextCursor']]).toEqual([['5009'], null]);
  });
});
