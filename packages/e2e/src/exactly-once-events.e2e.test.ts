import { afterEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '@cdp/contracts';
import { createSimShop, createWebhookDispatcher, type WebhookDispatcher } from '@cdp/haravan-sim';
import { connectShop } from './connect-tenant';
import { caughtUp, readDomainLog } from './domain-log';
import { startPipeline, type Pipeline } from './start-pipeline';

/** Order fields whose change the CDP must report (R14); bookkeeping fields like `confirmed_at` are not among them. */
const VISIBLE = [
  'financial_status',
  'fulfillment_status',
  'cancelled_status',
  'confirmed_status',
  'closed_status',
  'total_price',
  'shipping_lines',
  'shipping_address',
  'location_id',
  'refunds',
];

const versionKey = (id: string | number, at: string) => `${id}@${Date.parse(at)}`;

type OrderEvent = Extract<DomainEvent, { data: { order: unknown } }>;
const isOrderSnapshotEvent = (e: DomainEvent): e is OrderEvent => 'order' in e.data;

describe('each real change becomes exactly one event', { timeout: 180_000 }, () => {
  let pipeline: Pipeline | undefined;
  let dispatcher: WebhookDispatcher | undefined;

  afterEach(async () => {
    await dispatcher?.close();
    await pipeline?.stop();
  });

  async function run(
    seed: number,
    faults: Parameters<typeof createWebhookDispatcher>[1]['faults'],
    deciders = 1,
  ) {
    pipeline = await startPipeline({ inProcessProjector: false, deciders });
    const shop = createSimShop({ seed });
    await connectShop(pipeline, `shop-${seed}`, shop);
    dispatcher = createWebhookDispatcher(shop, {
      targetUrl: `${pipeline.ingestUrl}/haravan/webhook`,
      ...(faults && { faults }),
      retry: { attempts: 5, baseMs: 100 },
      seed,
    });
    const bodies: { id: number; at: string; body: Record<string, unknown> }[] = [];
    shop.subscribe((e) => {
      if (e.change.resource === 'orders' && e.change.topic !== 'orders/delete') {
        bodies.push({
          id: e.change.resourceId,
          at: e.change.updatedAt,
          body: JSON.parse(e.body) as Record<string, unknown>,
        });
      }
    });
    shop.generate({ customers: 10, orders: 40, products: 5 });
    const report = await dispatcher.flush();
    const { kafka, codec } = pipeline.generationDeps;
    const { orders, customers, products, raw } = pipeline.topics;
    const { admin, prefix } = pipeline;
    const events = await readDomainLog(kafka, codec, [orders, customers, products], () =>
      caughtUp(admin, `${prefix}decider`, raw),
    );
    return { shop, report, events, bodies };
  }

  it.each([
    { instances: 'one ingest instance', deciders: 1 },
    { instances: 'two ingest instances deciding side by side', deciders: 2 },
  ])(
    'delivered cleanly to $instances, every order version is one event and every event id is unique',
    async ({ deciders }) => {
      const { shop, events, bodies } = await run(11, undefined, deciders);
      // Neither instance fenced the other's transactions out of deciding.
      expect(pipeline?.deciders.map((d) => d.running())).toEqual(Array<boolean>(deciders).fill(true));
      const ids = events.map((e) => e.metadata.eventId);
      expect(new Set(ids).size).toBe(ids.length);

      // The versions where Haravan changed something the CDP shows (a new `confirmed_at` alone is not).
      const expected = new Set<string>();
      const previous = new Map<number, Record<string, unknown>>();
      for (const { id, at, body } of bodies) {
        const before = previous.get(id);
        if (
          !before ||
          VISIBLE.some((field) => JSON.stringify(before[field]) !== JSON.stringify(body[field]))
        ) {
          expected.add(versionKey(id, at));
        }
        previous.set(id, body);
      }
      const seen = new Set(
        events
          .filter(isOrderSnapshotEvent)
          .map((e) => versionKey(e.data.order.orderId, e.data.order.updatedAt)),
      );
      expect(seen).toEqual(expected);
      const deletions = shop.changes().filter((c) => c.topic === 'orders/delete').length;
      expect(events.filter((e) => e.type === 'OrderDeleted')).toHaveLength(deletions);
    },
  );

  it('with duplicates, reordering and bursts, no event repeats, none goes back in time, and the last state is the shop’s', async () => {
    const { shop, report, events } = await run(12, { duplicateRate: 0.5, reorderRate: 0.4, burst: true });
    expect(report.duplicated).toBeGreaterThan(0);
    const ids = events.map((e) => e.metadata.eventId);
    expect(new Set(ids).size).toBe(ids.length);

    const latest = new Map<string, OrderEvent>();
    for (const event of events.filter(isOrderSnapshotEvent)) {
      const previous = latest.get(event.data.order.orderId);
      if (previous)
        expect(Date.parse(event.data.order.updatedAt)).toBeGreaterThanOrEqual(
          Date.parse(previous.data.order.updatedAt),
        );
      latest.set(event.data.order.orderId, event);
    }
    const deleted = new Set(
      events.filter((e) => e.type === 'OrderDeleted').map((e) => e.metadata.aggregateId),
    );
    for (const order of shop.groundTruth().orders) {
      const last = latest.get(String(order.haravanId));
      expect(last?.data.order.financialStatus, `order ${order.haravanId}`).toBe(order.paymentStatus);
      expect(last?.data.order.cancelled, `order ${order.haravanId}`).toBe(order.cancelled);
      expect(deleted.has(String(order.haravanId))).toBe(false);
    }
  });
});
