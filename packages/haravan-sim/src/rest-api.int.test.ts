import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimShop, type SimShop } from './sim-shop.js';
import { startSimServer, type SimServer } from './sim-server.js';

const TOKEN = 'tok-123';
let shop: SimShop;
let server: SimServer;

const get = (path: string, token: string | null = TOKEN) =>
  fetch(`${server.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
const getJson = async <T>(path: string): Promise<T> => (await get(path)).json() as Promise<T>;

type Order = { id: number; updated_at: string; cancelled_status: string; closed_status: string };

beforeAll(async () => {
  shop = createSimShop({
    seed: 11,
    accessToken: TOKEN,
    bucket: { capacity: 10_000, drainPerSecond: 10_000 },
  });
  shop.generate({ customers: 40, orders: 260, products: 12 });
  server = await startSimServer(shop);
});
afterAll(() => server.close());

async function pageAll(base: string): Promise<Order[]> {
  const all: Order[] = [];
  for (let page = 1; ; page++) {
    const { orders } = await getJson<{ orders: Order[] }>(`${base}&page=${page}`);
    all.push(...orders);
    if (orders.length < 50) return all;
  }
}

describe('Haravan REST API', () => {
  it('answers 401 with WWW-Authenticate without a valid bearer token', async () => {
    for (const token of [null, 'wrong']) {
      const res = await get('/com/orders.json', token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('wraps resources and answers 404 for unknown ids', async () => {
    const id = shop.records('customers')[0]?.id;
    const one = await getJson<{ customer: { id: number } }>(`/com/customers/${id}.json`);
    expect(one.customer.id).toBe(id);
    expect((await get('/com/customers/1.json')).status).toBe(404);
    expect((await get('/com/orders/abc.json')).status).toBe(404);
  });

  it('pages by updated_at: inclusive min, ascending order, limit capped at 50, agreeing with count.json', async () => {
    const all = shop.records('orders').sort((a, b) => a.updatedAtMs - b.updatedAtMs || a.id - b.id);
    const pivot = all[100];
    if (!pivot) throw new Error('need orders');
    const min = shop.payload('orders', pivot.id)?.updated_at as string;
    const base = `/com/orders.json?status=any&order=updated_at%20asc&limit=250&updated_at_min=${encodeURIComponent(min)}`;
    const first = await getJson<{ orders: Order[] }>(`${base}&page=1`);
    expect(first.orders).toHaveLength(50);
    const listed = await pageAll(base);
    expect(listed[0]?.updated_at).toBe(min);
    const times = listed.map((o) => Date.parse(o.updated_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(listed.map((o) => o.id)).size).toBe(listed.length);
    const expected = all.filter((r) => r.updatedAtMs >= pivot.updatedAtMs).map((r) => r.id);
    expect(listed.map((o) => o.id)).toEqual(expected);
    const { count } = await getJson<{ count: number }>(
      `/com/orders/count.json?status=any&updated_at_min=${encodeURIComponent(min)}`,
    );
    expect(count).toBe(listed.length);
  });

  it('applies updated_at_max inclusively too', async () => {
    const r = shop.records('orders')[7];
    if (!r) throw new Error('need orders');
    const at = encodeURIComponent(shop.payload('orders', r.id)?.updated_at as string);
    const { orders } = await getJson<{ orders: Order[] }>(
      `/com/orders.json?status=any&updated_at_min=${at}&updated_at_max=${at}`,
    );
    expect(orders.map((o) => o.id)).toContain(r.id);
  });

  it('lists only open orders by default and every order with status=any', async () => {
    const open = await getJson<{ count: number }>('/com/orders/count.json');
    const any = await getJson<{ count: number }>('/com/orders/count.json?status=any');
    const cancelled = await getJson<{ count: number }>('/com/orders/count.json?status=cancelled');
    const records = shop.records('orders');
    expect(any.count).toBe(records.length);
    expect(open.count).toBe(records.filter((r) => !r.orderState?.cancelled && !r.orderState?.closed).length);
    expect(cancelled.count).toBeGreaterThan(0);
    expect(open.count).toBeLessThan(any.count);
    const { orders } = await getJson<{ orders: Order[] }>('/com/orders.json');
    expect(orders.every((o) => o.cancelled_status === 'uncancelled' && o.closed_status === 'unclosed')).toBe(
      true,
    );
  });

  it('defaults to newest id first, and honours since_id, ids and fields; ignores unknown params and, on products, order=', async () => {
    const ids = shop
      .records('products')
      .map((r) => r.id)
      .sort((a, b) => b - a);
    const { products } = await getJson<{ products: { id: number }[] }>('/com/products.json?bogus=1');
    expect(products.map((p) => p.id)).toEqual(ids);
    const since = await getJson<{ products: { id: number }[] }>(
      `/com/products.json?since_id=${ids[3]}&order=updated_at%20asc`,
    );
    expect(since.products.map((p) => p.id)).toEqual(ids.slice(0, 3));
    const some = await getJson<{ products: object[] }>(
      `/com/products.json?ids=${ids[0]},${ids[1]}&fields=id,title`,
    );
    expect(some.products).toHaveLength(2);
    expect(Object.keys(some.products[0] ?? {})).toEqual(['id', 'title']);
  });

  it('sends money as raw JSON numbers, sometimes with 4 decimals', async () => {
    const raws = await Promise.all(
      shop
        .records('orders')
        .slice(0, 10)
        .map(async (r) => (await get(`/com/orders/${r.id}.json`)).text()),
    );
    expect(raws.some((t) => /"total_price":\d+\.0000/.test(t))).toBe(true);
    expect(raws.every((t) => /"total_price":\d/.test(t))).toBe(true);
  });
});

describe('simulator introspection', () => {
  it('serves the ground truth and the change log', async () => {
    const truth = (await (await fetch(`${server.url}/_sim/ground-truth`)).json()) as { customers: unknown[] };
    expect(truth.customers).toHaveLength(shop.groundTruth().customers.length);
    const { changes } = (await (await fetch(`${server.url}/_sim/changes?since=5`)).json()) as {
      changes: { seq: number }[];
    };
    expect(changes[0]?.seq).toBe(6);
  });
});

describe('rate limit over HTTP', () => {
  it('fills the bucket, answers 429 with Retry-After, and drains with the injected clock', async () => {
    let now = 0;
    const limited = createSimShop({
      seed: 1,
      accessToken: TOKEN,
      bucket: { capacity: 3, drainPerSecond: 1 },
    });
    const s = await startSimServer(limited, { now: () => now });
    try {
      const call = () =>
        fetch(`${s.url}/com/products.json`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      const limits: (string | null)[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await call();
        expect(res.status).toBe(200);
        limits.push(res.headers.get('x-haravan-api-call-limit'));
      }
      expect(limits).toEqual(['1/3', '2/3', '3/3']);
      const refused = await call();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1.0');
      expect(refused.headers.get('x-haravan-api-call-limit')).toBe('3/3');
      now += 1000;
      const again = await call();
      expect(again.status).toBe(200);
      expect(again.headers.get('x-haravan-api-call-limit')).toBe('3/3');
      now += 3000;
      expect((await call()).headers.get('x-haravan-api-call-limit')).toBe('1/3');
    } finally {
      await s.close();
    }
  });
});
