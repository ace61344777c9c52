import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  COMMAND_ID_ATTRIBUTE,
  COMMANDS_COLLECTION,
  createCommandStore,
  customerUpdateRequest,
  type CommandStore,
  type HaravanRequest,
  type PushCommandDoc,
} from '@cdp/commands';
import { createSimShop } from '@cdp/haravan-sim';
import { interceptCollection, waitFor } from '@cdp/testing';
import type { PollingManager } from '../polling/polling-manager';
import { sleep } from '../polling/sleep';
import {
  startPollingHarness,
  testPollingConfig,
  type PollingHarness,
} from '../polling/polling-harness.test-helper';

const TOKEN = 'sim-token-push';

let h: PollingHarness;
let commands: CommandStore;

beforeAll(async () => {
  h = await startPollingHarness({
    name: 'push',
    token: TOKEN,
    seed: 11,
    orgIdBase: 500_000_000,
    generate: { customers: 8, orders: 10, products: 3 },
  });
  commands = createCommandStore(h.db);
}, 120_000);

afterAll(() => h?.stop());

let phones = 0;
/** Haravan keeps a phone to one customer, so each pushed customer gets its own. */
const nextPhone = () => `0987${String(++phones).padStart(6, '0')}`;

const createCustomer = (email: string | null, phone = nextPhone()): HaravanRequest => ({
  method: 'POST',
  path: 'customers.json',
  topic: 'customers/create',
  body: {
    customer: {
      first_name: 'An',
      last_name: 'Nguyễn Văn',
      email,
      phone,
      note: 'Facebook: https://facebook.com/an',
    },
  },
});

/** A command to create the customer `email` from the CDP contact `cdpId`. */
const acceptCreate = (tenantId: string, cdpId: string, email: string | null, phone?: string) =>
  commands.accept({ tenantId, kind: 'customer', cdpId, request: createCustomer(email, phone) });

/** A create of a contact pushed before, accepted with the edits it stands for once the contact is linked. */
const acceptAgain = (tenantId: string, cdpId: string, email: string, edits: Record<string, unknown>) =>
  commands.accept({ tenantId, kind: 'customer', cdpId, request: createCustomer(email), linkedUpdate: edits });

/** An order of the shop's first variant, marked with its command as the read API builds it. */
const createOrder = (commandId: string): HaravanRequest => ({
  method: 'POST',
  path: 'orders.json',
  topic: 'orders/create',
  body: {
    order: {
      line_items: [
        { variant_id: h.shop.product(h.shop.records('products')[0]?.id ?? 0)?.variants[0]?.id, quantity: 2 },
      ],
      financial_status: 'paid',
      note_attributes: [{ name: COMMAND_ID_ATTRIBUTE, value: commandId }],
    },
  },
});

/** Haravan makes what the command's create asks (stamped now), as if the command had been sent; its id. */
async function makeInShop(command: PushCommandDoc): Promise<number> {
  h.shop.clock.advanceTo(Date.now());
  const made = await waitFor(
    async () => {
      const answer = await fetch(`${h.sim.url}/com/${command.request.path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(command.request.body),
      });
      // Other tests' pollers share the shop's bucket: a 429 is tried again.
      return answer.status === 201 && ((await answer.json()) as Record<string, { id: number }>);
    },
    { timeoutMs: 10_000, intervalMs: 250, description: 'Haravan to take the create' },
  );
  return made[command.kind]?.id ?? 0;
}

/**
 * What a sender that died after its create reached Haravan, but before it read the answer,
 * leaves behind: Haravan made the resource, the command is `sending`.
 */
async function loseAnswer(command: PushCommandDoc): Promise<number> {
  const id = await makeInShop(command);
  await h.db
    .collection<PushCommandDoc>(COMMANDS_COLLECTION)
    .updateOne({ _id: command._id }, { $set: { status: 'sending' } });
  return id;
}

const updateCustomer = (id: number, note: string): HaravanRequest => ({
  method: 'PUT',
  path: `customers/${id}.json`,
  topic: 'customers/update',
  body: { customer: { note } },
});

/** A command to set the note of Haravan customer `id`. */
const acceptUpdate = (tenantId: string, id: number, note: string) =>
  commands.accept({ tenantId, kind: 'customer', cdpId: String(id), request: updateCustomer(id, note) });

let managers: PollingManager[] = [];
const managerOf = () => {
  const manager = h.startManager(testPollingConfig());
  managers.push(manager);
  return manager;
};
/** Starts the tenant's shop scheduler, stopped after the test: every tenant polls the one shop. */
const scheduleShop = (tenantId: string) => managerOf().addTenant(tenantId);

afterEach(async () => {
  await Promise.all(managers.map((m) => m.stop()));
  managers = [];
});

/** A tenant of its own whose shop's scheduler is running. */
/**
 * A shop of its own whose clock is at `shopAt`, a tenant of it, and a customer create of a new
 * phone whose call began at `calledAt` and reached Haravan: then ingest stopped before the answer.
 */
async function createLostInShop(seed: number, contactId: string, calledAt: number, shopAt: number) {
  const shop = createSimShop({ seed, accessToken: TOKEN });
  shop.clock.advanceTo(shopAt);
  const served = await h.serveShop(shop);
  const tenantId = await h.connectTenant({ apiBaseUrl: served.url, orgId: served.orgId });
  const phone = nextPhone();
  const command = await acceptCreate(tenantId, contactId, null, phone);
  await commands.claim(command, 'a-sender');
  await commands.calling(command, 'a-sender');
  await h.db
    .collection<PushCommandDoc>(COMMANDS_COLLECTION)
    .updateOne({ _id: command._id }, { $set: { callingAt: new Date(calledAt).toISOString() } });
  const made = shop.createCustomer({ firstName: 'An', lastName: 'Nguyễn Văn', email: null, phone });
  return { shop, tenantId, command, made };
}

async function pushingTenant(): Promise<string> {
  const tenantId = await h.connectTenant();
  await scheduleShop(tenantId);
  return tenantId;
}

/** A local address where nothing listens: connections are refused, so nothing is ever sent. */
async function refusingUrl(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/**
 * In front of the shop: each call is passed on, or answered with the status `stand` gives without
 * reaching the shop; `swallowCreates` passes a POST on and never answers it.
 */
async function frontOfShop(
  shopUrl: string,
  {
    stand = () => null,
    swallowCreates = false,
  }: { stand?: (method: string, url: string) => number | null; swallowCreates?: boolean },
) {
  const server = createServer((req, res) => {
    const status = stand(req.method ?? 'GET', req.url ?? '/');
    if (status !== null) {
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"errors":"not now"}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host',
        ),
      );
      const body = req.method === 'GET' ? undefined : Buffer.concat(chunks);
      void fetch(`${shopUrl}${req.url}`, { method: req.method, headers, body }).then(async (answer) => {
        // A refusal (429 while other tests' pollers drain the bucket) comes back, to be tried again.
        if (swallowCreates && req.method === 'POST' && answer.ok) return;
        res.writeHead(answer.status, Object.fromEntries(answer.headers));
        res.end(Buffer.from(await answer.arrayBuffer()));
      });
    });
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** What the tenant's sync status (`GET /admin/tenants/{id}`) says of its pushes. */
const pushesOf = async (tenantId: string) => (await managerOf().status(tenantId)).pushes;

/** The command once a round of sending has given it back (pending again, changed since accepted). */
const givenBack = (tenantId: string, command: PushCommandDoc, timeoutMs: number, description: string) =>
  waitFor(
    async () => {
      const doc = await commands.get(tenantId, command.commandId);
      return doc?.status === 'pending' && doc.updatedAt !== command.updatedAt && doc;
    },
    { timeoutMs, description },
  );

/** The command after several rounds of sending (one every 200 ms). */
async function afterRounds(tenantId: string, command: PushCommandDoc) {
  await sleep(1_000);
  return commands.get(tenantId, command.commandId);
}

const settled = (tenantId: string, commandId: string) =>
  waitFor(
    async () => {
      const doc = await commands.get(tenantId, commandId);
      return doc && (doc.status === 'succeeded' || doc.status === 'failed') && doc;
    },
    { timeoutMs: 20_000, intervalMs: 100, description: `command ${commandId} to finish` },
  );

describe('pushing CDP records to Haravan through the shop scheduler', { timeout: 60_000 }, () => {
  it("creates a customer, links it to the CDP contact and keeps Haravan's answer in the raw log", async () => {
    const tenantId = await pushingTenant();
    const command = await acceptCreate(tenantId, 'receiver:abc', 'an.push@example.vn');
    const done = await settled(tenantId, command.commandId);

    expect(done.status).toBe('succeeded');
    const created = h.shop.customer(Number(done.haravanId));
    expect(created).toMatchObject({ email: 'an.push@example.vn', firstName: 'An', lastName: 'Nguyễn Văn' });
    expect(created?.note).toContain('Facebook: https://facebook.com/an');
    expect(await commands.linkOf(tenantId, 'receiver:abc')).toMatchObject({ haravanId: done.haravanId });
    expect(await pushesOf(tenantId)).toEqual({ pending: 0, succeeded: 1, failed: 0, oldestPendingAt: null });
    await waitFor(
      () => h.raw.some((r) => r.source === 'cdp' && r.key === `${tenantId}:customer:${done.haravanId}`),
      { timeoutMs: 10_000, description: 'the pushed customer in the raw log' },
    );
  });

  it('updates a Haravan customer in place', async () => {
    const tenantId = await pushingTenant();
    const target = h.shop.records('customers')[0]?.id ?? 0;
    const command = await acceptUpdate(tenantId, target, 'Facebook: https://facebook.com/updated');
    const done = await settled(tenantId, command.commandId);

    expect(done).toMatchObject({ status: 'succeeded', haravanId: String(target) });
    expect(h.shop.customer(target)?.note).toBe('Facebook: https://facebook.com/updated');
    expect(await commands.linkOf(tenantId, String(target))).toBeNull();
  });

  it("sets a pushed Facebook link in the note Haravan has when it is sent, keeping the merchant's lines as written", async () => {
    const tenantId = await h.connectTenant();
    const target = h.shop.createCustomer({
      phone: nextPhone(),
      note: 'VIP, giao giờ hành chính\nFacebook: https://fb.com/a',
    }).id;
    // As the read API accepts a Facebook link: no note in the body, whatever the CDP's copy of it.
    const command = await commands.accept({
      tenantId,
      kind: 'customer',
      cdpId: String(target),
      request: customerUpdateRequest(String(target), {}),
      facebookUrl: 'https://fb.com/b',
    });
    // The merchant edits the note in Haravan before the push is sent.
    h.shop.updateCustomer(target, {
      note: 'VIP, giao giờ hành chính\nFacebook: https://fb.com/a\n\nGọi trước khi giao',
    });
    await scheduleShop(tenantId);

    expect(await settled(tenantId, command.commandId)).toMatchObject({ status: 'succeeded' });
    expect(h.shop.customer(target)?.note).toBe(
      'VIP, giao giờ hành chính\nFacebook: https://fb.com/b\n\nGọi trước khi giao',
    );
  });

  it('creates an order and records its Haravan id', async () => {
    const tenantId = await pushingTenant();
    const command = await commands.accept({ tenantId, kind: 'order', request: createOrder });
    const done = await settled(tenantId, command.commandId);

    expect(done.status).toBe('succeeded');
    expect(h.shop.order(Number(done.haravanId))?.financialStatus).toBe('paid');
    await waitFor(
      () => h.raw.some((r) => r.key === `${tenantId}:order:${done.haravanId}` && r.source === 'cdp'),
      {
        timeoutMs: 10_000,
        description: 'the pushed order in the raw log',
      },
    );
  });

  it("fails with Haravan's reasons when Haravan refuses, and sends nothing twice", async () => {
    const tenantId = await pushingTenant();
    const taken = h.shop.customer(h.shop.records('customers')[1]?.id ?? 0)?.email ?? 'none';
    const before = h.shop.records('customers').length;
    const command = await acceptCreate(tenantId, 'receiver:dup', taken);
    const done = await settled(tenantId, command.commandId);

    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('ERR_HARAVAN_REJECTED');
    expect(done.error?.message).toContain('has already been taken');
    expect(h.shop.records('customers')).toHaveLength(before);
  });

  it('after a crash mid-call, fails a create it cannot know the fate of and resends an update', async () => {
    const tenantId = await h.connectTenant();
    const target = h.shop.records('customers')[2]?.id ?? 0;
    const create = await acceptCreate(tenantId, 'receiver:crash', 'crash@example.vn');
    const update = await acceptUpdate(tenantId, target, 'resent');
    // What a sender that died during its calls leaves behind.
    await h.db.collection(COMMANDS_COLLECTION).updateMany({ tenantId }, { $set: { status: 'sending' } });

    await scheduleShop(tenantId);

    const created = await settled(tenantId, create.commandId);
    expect(created.status).toBe('failed');
    expect(created.error?.code).toBe('ERR_HARAVAN_OUTCOME_UNKNOWN');
    expect(h.shop.records('customers').some((r) => h.shop.customer(r.id)?.email === 'crash@example.vn')).toBe(
      false,
    );
    expect(await settled(tenantId, update.commandId)).toMatchObject({ status: 'succeeded' });
    expect(h.shop.customer(target)?.note).toBe('resent');
  });

  it('sends a create its sender claimed but stopped before calling Haravan with', async () => {
    const tenantId = await h.connectTenant();
    const command = await acceptCreate(tenantId, 'receiver:unsent', 'unsent@example.vn');
    // As a claim leaves it when the store fails before the call starts.
    await h.db
      .collection<PushCommandDoc>(COMMANDS_COLLECTION)
      .updateOne({ _id: command._id }, { $set: { status: 'sending', callingAt: null } });

    await scheduleShop(tenantId);

    expect(await settled(tenantId, command.commandId)).toMatchObject({ status: 'succeeded' });
    const made = h.shop
      .records('customers')
      .filter((r) => h.shop.customer(r.id)?.email === 'unsent@example.vn');
    expect(made).toHaveLength(1);
  });

  it.each([
    { made: 'by its email', email: 'lost@example.vn' },
    { made: 'without an email, by its phone', email: null },
  ])(
    'settles a customer create whose answer was lost once Haravan lists the customer, $made',
    async ({ email }) => {
      const tenantId = await h.connectTenant();
      const phone = nextPhone();
      const command = await acceptCreate(tenantId, 'receiver:lost', email, phone);
      const id = await loseAnswer(command);

      await scheduleShop(tenantId);

      expect(await settled(tenantId, command.commandId)).toMatchObject({
        status: 'succeeded',
        haravanId: String(id),
      });
      expect(await commands.linkOf(tenantId, 'receiver:lost')).toMatchObject({ haravanId: String(id) });
      expect(h.shop.records('customers').filter((r) => h.shop.customer(r.id)?.phone === phone)).toHaveLength(
        1,
      );
    },
  );

  it('looks again for a create whose answer was lost until Haravan lists what it made', async () => {
    // Haravan answers the create 502 and makes the customer only later.
    let creates = 0;
    const served = await h.serveShop();
    const { url, close } = await frontOfShop(served.url, {
      stand: (method, path) => {
        if (method !== 'POST' || !path.endsWith('/customers.json')) return null;
        creates += 1;
        return 502;
      },
    });
    try {
      const tenantId = await h.connectTenant({ apiBaseUrl: url, orgId: served.orgId });
      const command = await acceptCreate(tenantId, 'receiver:late', 'late@example.vn');
      // The contact pushed again meanwhile: sent before the first create is known, it would be a second create.
      const again = await acceptAgain(tenantId, 'receiver:late', 'late@example.vn', { note: 'pushed again' });
      const manager = h.startManager(
        testPollingConfig({ pushOutcomeLookup: { windowMs: 60_000, lookEveryMs: 200 } }),
      );
      managers.push(manager);
      await manager.addTenant(tenantId);
      const unknown = await waitFor(
        async () => {
          const doc = await commands.get(tenantId, command.commandId);
          return doc?.unknownSince !== undefined && doc;
        },
        { timeoutMs: 10_000, description: 'the create to be answered 502' },
      );
      expect(unknown.status).toBe('sending');
      const id = await makeInShop(command);
      expect(await settled(tenantId, command.commandId)).toMatchObject({
        status: 'succeeded',
        haravanId: String(id),
      });
      expect(await commands.linkOf(tenantId, 'receiver:late')).toMatchObject({ haravanId: String(id) });
      expect(await settled(tenantId, again.commandId)).toMatchObject({
        status: 'succeeded',
        haravanId: String(id),
      });
      expect(h.shop.customer(id)?.note).toBe('pushed again');
      expect(creates).toBe(1);
    } finally {
      await close();
    }
  });

  it("gives up on an update Haravan keeps failing after its tries, while the shop's other pushes go on", async () => {
    const target = h.shop.records('customers')[3]?.id ?? 0;
    const served = await h.serveShop();
    const { url, close } = await frontOfShop(served.url, {
      stand: (method, path) => (method === 'PUT' && path.endsWith(`/customers/${target}.json`) ? 500 : null),
    });
    try {
      const tenantId = await h.connectTenant({ apiBaseUrl: url, orgId: served.orgId });
      // More of them than a round sends: none may keep the create behind them waiting.
      const updates: PushCommandDoc[] = [];
      for (let i = 0; i < 12; i++) updates.push(await acceptUpdate(tenantId, target, `try ${i}`));
      const create = await acceptCreate(tenantId, 'receiver:behind', 'behind@example.vn');
      await scheduleShop(tenantId);

      const created = await settled(tenantId, create.commandId);
      expect(created).toMatchObject({ status: 'succeeded' });
      const failed = await settled(tenantId, updates[0]?.commandId ?? '');
      // The create went on while the update waited for its tries.
      expect(Date.parse(created.updatedAt)).toBeLessThan(Date.parse(failed.updatedAt));
      expect(failed).toMatchObject({
        status: 'failed',
        error: { code: 'ERR_HARAVAN_UNAVAILABLE' },
      });
      expect(failed.error?.message).toContain('sent 3 times');
    } finally {
      await close();
    }
  });

  it('keeps a push waiting, without using a try, while Haravan refuses the shop its token', async () => {
    const tenantId = await h.connectTenant({ token: 'revoked-token' });
    const target = h.shop.records('customers')[4]?.id ?? 0;
    const command = await acceptUpdate(tenantId, target, 'after the new token');
    await scheduleShop(tenantId);
    // shop.json is refused too: nothing is sent, so the command is as accepted.
    expect(await afterRounds(tenantId, command)).toMatchObject({
      status: 'pending',
      updatedAt: command.updatedAt,
    });

    await h.tenants.update(tenantId, { haravanAccessToken: TOKEN });
    expect(await settled(tenantId, command.commandId)).toMatchObject({ status: 'succeeded' });
    expect(h.shop.customer(target)?.note).toBe('after the new token');
  });

  it('gives up, after its tries, on a push whose write Haravan keeps refusing with 401 while it takes the reads', async () => {
    // The shop is confirmed and polled (shop.json and the lists pass); the token is refused on the write only.
    const served = await h.serveShop();
    const { url, close } = await frontOfShop(served.url, {
      stand: (method) => (method === 'PUT' ? 401 : null),
    });
    try {
      const tenantId = await h.connectTenant({ apiBaseUrl: url, orgId: served.orgId });
      const target = h.shop.records('customers')[5]?.id ?? 0;
      const command = await acceptUpdate(tenantId, target, 'never allowed');
      await scheduleShop(tenantId);
      const failed = await settled(tenantId, command.commandId);
      expect(failed).toMatchObject({ status: 'failed', error: { code: 'ERR_HARAVAN_UNAUTHORIZED' } });
      expect(failed.error?.message).toContain('sent 3 times');
    } finally {
      await close();
    }
  });

  it('sends a push held by a stray 401 once Haravan takes the token again, without new credentials', async () => {
    const served = await h.serveShop();
    let refusals = 1;
    const { url, close } = await frontOfShop(served.url, {
      stand: (method) => (method === 'PUT' && refusals-- > 0 ? 401 : null),
    });
    try {
      const tenantId = await h.connectTenant({ apiBaseUrl: url, orgId: served.orgId });
      const target = h.shop.records('customers')[6]?.id ?? 0;
      const command = await acceptUpdate(tenantId, target, 'after a stray 401');
      await scheduleShop(tenantId);
      // The polls' next answers take the token again.
      const sent = await settled(tenantId, command.commandId);
      expect(sent).toMatchObject({ status: 'succeeded', error: null, attempts: 1 });
      expect(h.shop.customer(target)?.note).toBe('after a stray 401');
    } finally {
      await close();
    }
  });

  it('settles an order create whose answer was lost by the mark the order carries', async () => {
    const tenantId = await h.connectTenant();
    // Another order of the same moment, made by another command, is not taken for it.
    await loseAnswer(
      await commands.accept({ tenantId: await h.connectTenant(), kind: 'order', request: createOrder }),
    );
    const command = await commands.accept({ tenantId, kind: 'order', request: createOrder });
    const id = await loseAnswer(command);

    await scheduleShop(tenantId);

    expect(await settled(tenantId, command.commandId)).toMatchObject({
      status: 'succeeded',
      haravanId: String(id),
    });
    const marked = h.shop
      .records('orders')
      .filter((r) => h.shop.order(r.id)?.noteAttributes.some((a) => a.value === command.commandId));
    expect(marked).toHaveLength(1);
    await waitFor(() => h.raw.some((r) => r.key === `${tenantId}:order:${id}` && r.source === 'cdp'), {
      timeoutMs: 10_000,
      description: 'the found order in the raw log',
    });
  });

  it('settles an order create whose answer was lost among the hundreds of orders the shop made after it', async () => {
    const busy = createSimShop({ seed: 21, accessToken: TOKEN });
    busy.clock.advanceTo(Date.now());
    const served = await h.serveShop(busy);
    const tenantId = await h.connectTenant({ apiBaseUrl: served.url, orgId: served.orgId });
    const command = await commands.accept({ tenantId, kind: 'order', request: createOrder });
    // Its call reached Haravan, which made the order; then the answer was lost.
    await commands.claim(command, 'a-sender');
    await commands.calling(command, 'a-sender');
    const made = busy.createOrder({
      customerId: null,
      noteAttributes: [{ name: COMMAND_ID_ATTRIBUTE, value: command.commandId }],
    });
    // A busy sale: more orders after it than a few pages hold.
    for (let i = 0; i < 300; i++) {
      busy.clock.advance(100);
      busy.createOrder({ customerId: null });
    }

    await scheduleShop(tenantId);

    expect(await settled(tenantId, command.commandId)).toMatchObject({
      status: 'succeeded',
      haravanId: String(made.id),
    });
  });

  it('settles a customer create whose answer was lost among the thousand customers the shop made while ingest was down', async () => {
    const calledAt = Date.now() - 2 * 3_600_000;
    const {
      shop: busy,
      tenantId,
      command,
      made,
    } = await createLostInShop(22, 'receiver:down', calledAt, calledAt);
    // The shop went on making customers, listed before it (newest first), for the two hours ingest was down.
    for (let i = 0; i < 1_100; i++) {
      busy.clock.advance(6_000);
      busy.createCustomer({ phone: null });
    }

    await scheduleShop(tenantId);

    expect(await settled(tenantId, command.commandId)).toMatchObject({
      status: 'succeeded',
      haravanId: String(made.id),
    });
    expect(await commands.linkOf(tenantId, 'receiver:down')).toMatchObject({ haravanId: String(made.id) });
  });

  it("settles a customer create whose answer was lost and which Haravan stamped past the call's span", async () => {
    // A host clock twenty minutes behind Haravan's (or a call that long in Retry-After waits).
    const calledAt = Date.now() - 3_600_000;
    const { tenantId, command, made } = await createLostInShop(
      23,
      'receiver:late',
      calledAt,
      calledAt + 20 * 60_000,
    );

    await scheduleShop(tenantId);

    expect(await settled(tenantId, command.commandId)).toMatchObject({
      status: 'succeeded',
      haravanId: String(made.id),
    });
  });

  it('keeps a create waiting while Haravan cannot be reached at all', async () => {
    const tenantId = await h.connectTenant({ apiBaseUrl: await refusingUrl() });
    await scheduleShop(tenantId);
    const command = await acceptCreate(tenantId, 'receiver:later', 'later@example.vn');
    // Nothing is sent while shop.json cannot be asked: the command is as accepted.
    expect(await afterRounds(tenantId, command)).toMatchObject({
      status: 'pending',
      updatedAt: command.updatedAt,
    });
  });

  it('gives a create back for a later round when Haravan, checked before, can no longer be reached', async () => {
    const served = await h.serveShop();
    const front = await frontOfShop(served.url, {});
    const tenantId = await h.connectTenant({ apiBaseUrl: front.url, orgId: served.orgId });
    await scheduleShop(tenantId);
    // The shop is checked once its first records come through; then connections are refused.
    await waitFor(() => h.raw.some((r) => r.tenantId === tenantId), {
      timeoutMs: 10_000,
      description: 'the shop to be checked and polled',
    });
    await front.close();
    const command = await acceptCreate(tenantId, 'receiver:gone', 'gone@example.vn');
    // Refused before a byte was sent: surely not made, so put back rather than looked for.
    const putBack = await givenBack(tenantId, command, 20_000, 'a round of sending to end');
    expect(putBack.error).toBeNull();
    expect(putBack.unknownSince).toBeUndefined();
  });

  it('leaves a create in flight when its sender stops to the next sender, which finds what it made', async () => {
    // Haravan takes the create, and its answer never comes back before the sender stops.
    const served = await h.serveShop();
    const { url, close } = await frontOfShop(served.url, { swallowCreates: true });
    try {
      const tenantId = await h.connectTenant({ apiBaseUrl: url, orgId: served.orgId });
      const command = await acceptCreate(tenantId, 'receiver:stopped', 'stopped@example.vn');
      h.shop.clock.advanceTo(Date.now());
      const stopping = managerOf();
      await stopping.addTenant(tenantId);
      const made = () =>
        h.shop.records('customers').find((r) => h.shop.customer(r.id)?.email === 'stopped@example.vn');
      await waitFor(() => made() !== undefined, {
        timeoutMs: 10_000,
        description: 'Haravan to take the create',
      });
      await stopping.stop();
      expect(await commands.get(tenantId, command.commandId)).toMatchObject({ status: 'sending' });

      await h.tenants.update(tenantId, { haravanApiBaseUrl: served.url });
      await scheduleShop(tenantId);
      const settled = await waitFor(
        async () => {
          const doc = await commands.get(tenantId, command.commandId);
          return doc?.status === 'succeeded' && doc;
        },
        { timeoutMs: 15_000, description: 'the next sender to find the customer the create made' },
      );
      expect(settled.haravanId).toBe(String(made()?.id));
    } finally {
      await close();
    }
  });

  it('creates a contact pushed twice before the first push was sent once, and updates it with the second push’s edits only', async () => {
    const tenantId = await h.connectTenant();
    const phone = nextPhone();
    // The first push changes the email; the second, accepted before it was sent, only adds a
    // Facebook link, its body still carrying the profile's old email.
    const first = await acceptCreate(tenantId, 'receiver:twice', 'twice@example.vn', phone);
    const second = await commands.accept({
      tenantId,
      kind: 'customer',
      cdpId: 'receiver:twice',
      request: createCustomer('old.twice@example.vn', phone),
      linkedUpdate: {},
      facebookUrl: 'https://facebook.com/twice',
    });
    const third = await commands.accept({
      tenantId,
      kind: 'customer',
      cdpId: 'receiver:twice',
      request: createCustomer('old.twice@example.vn', phone),
      linkedUpdate: {},
    });
    // Accepted before commands kept their edits apart: which of its fields are edits is unknown.
    const legacy = await commands.accept({
      tenantId,
      kind: 'customer',
      cdpId: 'receiver:twice',
      request: createCustomer('old.twice@example.vn', phone),
    });
    await scheduleShop(tenantId);

    const one = await settled(tenantId, first.commandId);
    expect(one).toMatchObject({ status: 'succeeded' });
    for (const later of [second, third])
      expect(await settled(tenantId, later.commandId)).toMatchObject({
        status: 'succeeded',
        haravanId: one.haravanId,
      });
    expect(await settled(tenantId, legacy.commandId)).toMatchObject({
      status: 'failed',
      error: { code: 'ERR_PUSH_CONTACT_LINKED' },
    });
    expect(h.shop.records('customers').filter((r) => h.shop.customer(r.id)?.phone === phone)).toHaveLength(1);
    expect(h.shop.customer(Number(one.haravanId))).toMatchObject({
      email: 'twice@example.vn',
      note: 'Facebook: https://facebook.com/twice',
    });
    // Sent nothing, the push without edits still keeps the customer in the raw log under its
    // command, as every push's answer is: the decider records its position from it.
    await waitFor(() => h.raw.some((r) => r.commandId === third.commandId), {
      timeoutMs: 10_000,
      description: "the customer kept under the third push's command",
    });
  });

  it('sends again, as the update it stands for, a create of a linked contact its sender stopped in', async () => {
    const tenantId = await h.connectTenant();
    const first = await acceptCreate(tenantId, 'receiver:resent', 'resent@example.vn');
    await scheduleShop(tenantId);
    const one = await settled(tenantId, first.commandId);
    await Promise.all(managers.map((m) => m.stop()));
    managers = [];

    const second = await acceptAgain(tenantId, 'receiver:resent', 'resent@example.vn', {
      note: 'Facebook: https://facebook.com/resent',
    });
    // Claimed, as a sender that stopped mid-call leaves it.
    await commands.claim(second, 'a-sender');
    await scheduleShop(tenantId);
    expect(await settled(tenantId, second.commandId)).toMatchObject({
      status: 'succeeded',
      haravanId: one.haravanId,
    });
    expect(h.shop.customer(Number(one.haravanId))?.note).toBe('Facebook: https://facebook.com/resent');
  });

  it('drops finished commands once past their retention, keeping their links', async () => {
    const tenantId = await h.connectTenant();
    const old = await acceptCreate(tenantId, 'receiver:old', 'old@example.vn');
    const recent = await acceptCreate(tenantId, 'receiver:new', 'new@example.vn');
    await commands.claim(old, 'a-sender');
    await commands.link(old, '42');
    await commands.succeeded(old, '42');
    await commands.claim(recent, 'a-sender');
    await commands.failed(recent, { code: 'ERR_HARAVAN_REJECTED', message: 'refused' });
    // The harness keeps finished commands for a minute.
    const longAgo = new Date(Date.now() - 120_000).toISOString();
    await h.db
      .collection<PushCommandDoc>(COMMANDS_COLLECTION)
      .updateOne({ _id: old._id }, { $set: { updatedAt: longAgo } });

    await scheduleShop(tenantId);

    await waitFor(async () => (await commands.get(tenantId, old.commandId)) === null, {
      timeoutMs: 10_000,
      description: 'the old command to be dropped',
    });
    expect(await commands.get(tenantId, recent.commandId)).toMatchObject({ status: 'failed' });
    expect(await commands.linkOf(tenantId, 'receiver:old')).toMatchObject({ haravanId: '42' });
  });

  it('lets only the sender that claimed a create call Haravan with it, and not release it once called', async () => {
    const tenantId = await h.connectTenant();
    const command = await acceptCreate(tenantId, 'receiver:two-senders', 'two@example.vn');
    await commands.claim(command, 'sender-a');
    // What a second sender's start read: claimed, not called yet.
    const stale = await commands.get(tenantId, command.commandId);
    expect(await commands.calling(command, 'sender-b')).toBeNull();
    const at = await commands.calling(command, 'sender-a');
    expect(at).not.toBeNull();
    expect(await commands.calling(command, 'sender-a')).toBeNull();

    // The second sender, taking the command for one its stopped sender never called, must not send it again.
    expect(await commands.releaseUncalled(stale ?? command)).toBe(false);
    expect(await commands.get(tenantId, command.commandId)).toMatchObject({
      status: 'sending',
      callingAt: at,
    });
  });

  it("reads no idle shop's commands each round: one look finds which shops have any", async () => {
    const reads: string[] = [];
    const counted = interceptCollection(h.db, COMMANDS_COLLECTION, (member, original) =>
      typeof original === 'function'
        ? (...args: unknown[]) => {
            reads.push(String(member));
            return (original as (...a: unknown[]) => unknown)(...args);
          }
        : original,
    );
    const manager = h.startManager(testPollingConfig(), { db: counted });
    managers.push(manager);
    const idle = [await h.connectTenant(), await h.connectTenant(), await h.connectTenant()];
    for (const tenantId of idle) await manager.addTenant(tenantId);
    // Counted from the first look on: before it, each sender looks for itself.
    await waitFor(() => reads.includes('distinct'), { timeoutMs: 10_000, description: 'the first look' });
    reads.length = 0;
    await sleep(2_000);
    // A round every 200 ms: each sender would read twice a round, 60 reads.
    expect(reads.filter((method) => method === 'find').length).toBeLessThan(10);
    expect(reads).toContain('distinct');

    // A push accepted meanwhile is found at the next look.
    const target = h.shop.records('customers')[1]?.id ?? 0;
    const command = await acceptUpdate(idle[0] ?? '', target, 'found by the look');
    expect(await settled(idle[0] ?? '', command.commandId)).toMatchObject({ status: 'succeeded' });
  });

  it('gives back the same command for the same idempotency key', async () => {
    const tenantId = await h.connectTenant();
    const request = createCustomer('once@example.vn');
    const first = await commands.accept({
      tenantId,
      kind: 'customer',
      cdpId: 'receiver:once',
      request,
      idempotencyKey: 'k-1',
    });
    const again = await commands.accept({
      tenantId,
      kind: 'customer',
      cdpId: 'receiver:once',
      request,
      idempotencyKey: 'k-1',
    });
    const other = await commands.accept({
      tenantId,
      kind: 'customer',
      cdpId: 'receiver:once',
      request,
      idempotencyKey: 'k-2',
    });

    expect(again.commandId).toBe(first.commandId);
    expect(other.commandId).not.toBe(first.commandId);
  });
});
