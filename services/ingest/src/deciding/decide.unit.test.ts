import { domainEventSchema, type DomainEvent, type OrderSnapshot } from '@cdp/contracts';
import { sampleCustomer, sampleOrder, sampleProduct } from '@cdp/contracts/samples';
import { describe, expect, it } from 'vitest';
import { aggregateKey } from './aggregate-key';
import type { AggregateState } from './aggregate-state';
import { decide } from './decide';
import type { Decision, DecisionContext, Observation } from './observation';

const ctx: DecisionContext = {
  tenantId: 'shop-1',
  source: 'webhook',
  causationId: 'haravan.raw.v1/0/42',
  recordedAt: '2026-11-20T03:05:00.000Z',
};

const order = (changes: Partial<OrderSnapshot>): Observation => ({
  kind: 'order',
  snapshot: { ...sampleOrder, ...changes },
});
const at = (minute: number) => `2026-11-20T03:${String(minute).padStart(2, '0')}:00.000Z`;
const pendingOrder = (changes: Partial<OrderSnapshot> = {}) =>
  order({ updatedAt: at(1), financialStatus: 'pending', financialStatusRaw: 'pending', ...changes });
const pending = pendingOrder();

/** Runs a sequence of observations through decide, carrying state like the worker does. */
function run(observations: Observation[], initial?: AggregateState) {
  let state = initial;
  const decisions: Decision[] = [];
  for (const observation of observations) {
    const decision = decide(state, observation, ctx);
    for (const event of decision.events) domainEventSchema.parse(event);
    decisions.push(decision);
    state = decision.state ?? state;
  }
  const events = decisions.flatMap((d) => d.events);
  return { state, decisions, events, last: decisions.at(-1) };
}

const types = (events: DomainEvent[]) => events.map((e) => e.type);

describe('decide: orders', () => {
  it('given copies of one order state in the payment status spellings of different sources, when decided in either order, then only OrderCreated is emitted', () => {
    // Webhook bodies say `partiallypaid`; the documented API says `partially_paid`.
    const webhook = order({ financialStatus: 'partially_paid', financialStatusRaw: 'partiallypaid' });
    const documented = { financialStatus: 'partially_paid', financialStatusRaw: 'partially_paid' } as const;
    const api = order(documented);

    expect(types(run([webhook, api]).events)).toEqual(['OrderCreated']);
    expect(types(run([api, webhook]).events)).toEqual(['OrderCreated']);
    expect(
      types(
        run([api, order({ ...documented, updatedAt: at(9), financialStatusRaw: 'Partially Paid' })]).events,
      ),
    ).toEqual(['OrderCreated']);
  });

  it('given a state that tracked a field no longer tracked, when a newer copy changes nothing else, then no event is emitted', () => {
    const { state } = run([pending]);
    const older = { ...state!, fields: { ...state!.fields, financialStatusRaw: 'stale-hash' } };

    expect(run([pendingOrder({ updatedAt: at(2) })], older).events).toEqual([]);
  });

  it('given no state, when an order is first seen, then exactly OrderCreated is emitted, even if already paid and cancelled', () => {
    const { last } = run([order({ financialStatus: 'paid', cancelled: true })]);

    expect(types(last!.events)).toEqual(['OrderCreated']);
    expect(last!.state).toMatchObject({ version: sampleOrder.updatedAt, deleted: false });
    expect(last!.events[0]!.metadata).toMatchObject({
      tenantId: 'shop-1',
      aggregateId: sampleOrder.orderId,
      occurredAt: sampleOrder.updatedAt,
      recordedAt: ctx.recordedAt,
      source: 'webhook',
      causationId: ctx.causationId,
      schemaVersion: 2,
    });
  });

  it('given the state after a snapshot, when the same snapshot arrives again, then nothing is emitted and nothing stored', () => {
    const { last } = run([pending, pending]);

    expect(last).toEqual({ events: [], state: undefined });
  });

  it('given a state decided before orders carried a billing address, when the same snapshot arrives with one, then nothing is emitted and the ids are unchanged', () => {
    const before = run([pendingOrder({ billingAddress: null })]);
    const after = run([
      pendingOrder({ billingAddress: { ...sampleOrder.shippingAddress!, phone: '0911111111' } }),
    ]);

    expect(after.last!.events[0]!.metadata.eventId).toBe(before.last!.events[0]!.metadata.eventId);
    expect(run([pendingOrder()], before.state).last).toEqual({ events: [], state: undefined });
  });

  it('given a newer snapshot was applied, when an older one arrives late, then nothing is emitted and nothing stored', () => {
    const paid = order({ updatedAt: at(2), financialStatus: 'paid' });
    const { last } = run([paid, pending]);

    expect(last).toEqual({ events: [], state: undefined });
  });

  it('given a pending order, when it becomes paid, then PaymentStatusChanged pending → paid only', () => {
    const { last } = run([
      pending,
      order({ updatedAt: at(2), financialStatus: 'paid', financialStatusRaw: 'paid' }),
    ]);

    expect(types(last!.events)).toEqual(['PaymentStatusChanged']);
    expect(last!.events[0]!.data).toMatchObject({ previousStatus: 'pending', status: 'paid' });
  });

  it('given a paid order, when it is partially refunded, then PaymentStatusChanged paid → partially_refunded and OrderUpdated for the refund total', () => {
    const paid = order({ updatedAt: at(1), financialStatus: 'paid' });
    const refunded = order({
      updatedAt: at(2),
      financialStatus: 'partially_refunded',
      financialStatusRaw: 'partially_refunded',
      totalRefunded: '520000',
    });
    const { last } = run([paid, refunded]);

    expect(types(last!.events)).toEqual(['PaymentStatusChanged', 'OrderUpdated']);
    expect(last!.events[0]!.data).toMatchObject({ previousStatus: 'paid', status: 'partially_refunded' });
    expect(last!.events[1]!.data).toMatchObject({ changedFields: ['totalRefunded'] });
  });

  it('given a paid order, when one snapshot shows it refunded and cancelled, then both facts are emitted with distinct ids', () => {
    const paid = order({ updatedAt: at(1), financialStatus: 'paid' });
    const cancelled = order({
      updatedAt: at(2),
      financialStatus: 'refunded',
      financialStatusRaw: 'refunded',
      cancelled: true,
      cancelledAt: at(2),
      cancelReason: 'customer',
    });
    const { last } = run([paid, cancelled]);

    expect(types(last!.events)).toEqual(['PaymentStatusChanged', 'OrderCancelled']);
    expect(last!.events[1]!.data).toMatchObject({ reason: 'customer' });
    expect(new Set(last!.events.map((e) => e.metadata.eventId)).size).toBe(2);
  });

  it('given a cancelled order, when it is un-cancelled, then it is an OrderUpdated naming the cancellation fields', () => {
    const cancelled = order({ updatedAt: at(1), cancelled: true, cancelledAt: at(1), cancelReason: 'other' });
    const { last } = run([cancelled, order({ updatedAt: at(2) })]);

    expect(types(last!.events)).toEqual(['OrderUpdated']);
    expect(last!.events[0]!.data).toMatchObject({
      changedFields: ['cancelReason', 'cancelled', 'cancelledAt'],
    });
  });

  it('given an order, when it is fulfilled and its address edited, then one OrderUpdated lists the fields, sorted', () => {
    const edited = pendingOrder({
      updatedAt: at(2),
      fulfillmentStatus: 'fulfilled',
      shippingAddress: { ...sampleOrder.shippingAddress!, address1: '1 Nguyễn Huệ' },
    });
    const { last } = run([pending, edited]);

    expect(types(last!.events)).toEqual(['OrderUpdated']);
    expect(last!.events[0]!.data).toMatchObject({ changedFields: ['fulfillmentStatus', 'shippingAddress'] });
  });

  it('given an order, when a newer snapshot changes only updatedAt, then no event is emitted but the state advances', () => {
    const { last } = run([pending, pendingOrder({ updatedAt: at(5) })]);

    expect(last!.events).toEqual([]);
    expect(last!.state?.version).toBe(at(5));
  });

  it('given two different snapshots with equal updatedAt, when they arrive in either order, then the final state is the same', () => {
    const a = order({ updatedAt: at(3), fulfillmentStatus: 'partial' });
    const b = order({ updatedAt: at(3), fulfillmentStatus: 'fulfilled' });

    const ab = run([pending, a, b]).state;
    const ba = run([pending, b, a]).state;

    expect(ab).toEqual(ba);
    expect(ab?.version).toBe(at(3));
  });

  it('given a crash before the decision was stored, when the record is decided again, then the same event ids result', () => {
    const paid = order({ updatedAt: at(2), financialStatus: 'paid' });
    const state = run([pending]).state;

    const first = decide(state, paid, ctx);
    const retried = decide(state, paid, { ...ctx, recordedAt: '2026-11-20T04:00:00.000Z' });

    expect(retried.events.map((e) => e.metadata.eventId)).toEqual(
      first.events.map((e) => e.metadata.eventId),
    );
  });

  it('given an order, when it is deleted and then a late snapshot and a second deletion arrive, then OrderDeleted is emitted once', () => {
    const deleted: Observation = { kind: 'order-deleted', orderId: sampleOrder.orderId, deletedAt: at(9) };
    const { decisions } = run([
      pending,
      deleted,
      order({ updatedAt: at(10), financialStatus: 'paid' }),
      deleted,
    ]);

    expect(decisions.map((d) => types(d.events))).toEqual([['OrderCreated'], ['OrderDeleted'], [], []]);
    expect(decisions[1]!.state?.deleted).toBe(true);
    expect(decisions[1]!.events[0]!.metadata.occurredAt).toBe(at(9));
    expect(decisions[2]!.state).toBeUndefined();
  });

  it('given a deletion re-delivered with a different receipt time after a crash, when decided again, then its event id is the same', () => {
    const state = run([pending]).state;
    const first = decide(
      state,
      { kind: 'order-deleted', orderId: sampleOrder.orderId, deletedAt: at(9) },
      ctx,
    );
    const again = decide(
      state,
      { kind: 'order-deleted', orderId: sampleOrder.orderId, deletedAt: at(11) },
      ctx,
    );

    expect(again.events[0]!.metadata.eventId).toBe(first.events[0]!.metadata.eventId);
  });
});

describe('decide: customers', () => {
  const customer = (changes: Partial<typeof sampleCustomer>): Observation => ({
    kind: 'customer',
    snapshot: { ...sampleCustomer, ...changes },
  });

  it('given no state, when a customer is first seen, then CustomerUpserted is emitted', () => {
    expect(types(run([customer({})]).events)).toEqual(['CustomerUpserted']);
  });

  it('given a customer, when their address is edited in a newer snapshot, then CustomerUpserted carries the new address', () => {
    const address = sampleCustomer.addresses[0]!;
    const edited = customer({
      updatedAt: '2030-01-01T00:00:00.000Z',
      addresses: [{ ...address, address1: '1 Nguyễn Huệ' }],
    });
    const { last } = run([customer({}), edited]);

    expect(types(last!.events)).toEqual(['CustomerUpserted']);
    expect(last!.events[0]!.data).toMatchObject({ customer: { addresses: [{ address1: '1 Nguyễn Huệ' }] } });
  });

  it('given a customer, when only updatedAt moves on, then nothing is emitted and the state advances', () => {
    const { last } = run([customer({}), customer({ updatedAt: '2030-01-01T00:00:00.000Z' })]);

    expect(last).toMatchObject({ events: [], state: { version: '2030-01-01T00:00:00.000Z' } });
  });

  it('given a deleted customer, when a later snapshot arrives, then nothing is emitted', () => {
    const deleted: Observation = {
      kind: 'customer-deleted',
      customerId: sampleCustomer.customerId,
      deletedAt: at(9),
    };
    const { decisions } = run([
      customer({}),
      deleted,
      customer({ updatedAt: '2030-01-01T00:00:00.000Z', note: 'x' }),
    ]);

    expect(decisions.map((d) => types(d.events))).toEqual([['CustomerUpserted'], ['CustomerDeleted'], []]);
  });
});

describe('decide: products', () => {
  const product: Observation = { kind: 'product', snapshot: sampleProduct };

  it('given a product, when a newer snapshot changes its price, then ProductUpserted is emitted', () => {
    const variant = sampleProduct.variants[0]!;
    const repriced: Observation = {
      kind: 'product',
      snapshot: {
        ...sampleProduct,
        updatedAt: '2030-01-01T00:00:00.000Z',
        variants: [{ ...variant, price: '1' }],
      },
    };

    expect(types(run([product, repriced]).events)).toEqual(['ProductUpserted', 'ProductUpserted']);
  });

  it('given a product never seen, when its deletion arrives, then ProductDeleted is emitted once and later snapshots are ignored', () => {
    const deleted: Observation = {
      kind: 'product-deleted',
      productId: sampleProduct.productId,
      deletedAt: at(9),
    };
    const { decisions } = run([deleted, product, deleted]);

    expect(decisions.map((d) => types(d.events))).toEqual([['ProductDeleted'], [], []]);
    expect(decisions[0]!.events[0]!.data).toEqual({ productId: sampleProduct.productId, deletedAt: at(9) });
  });
});

describe('decide: a deletion the shop contradicts (revival)', () => {
  const HOUR = 3_600_000;
  const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
  const deletion: Observation = { kind: 'order-deleted', orderId: sampleOrder.orderId, deletedAt: at(9) };
  const shown = (existsAt: string): Observation => ({
    kind: 'order',
    snapshot: { ...sampleOrder, updatedAt: at(1), financialStatus: 'pending', financialStatusRaw: 'pending' },
    existsAt,
  });

  it('given a deleted order the shop still shows an hour later, then it is created again, with ids of its new life', () => {
    const { decisions, state } = run([pending, deletion, shown(later(at(9), HOUR))]);

    expect(decisions.map((d) => types(d.events))).toEqual([
      ['OrderCreated'],
      ['OrderDeleted'],
      ['OrderCreated'],
    ]);
    const [first, , again] = decisions.map((d) => d.events[0]!.metadata.eventId);
    expect(again).not.toBe(first);
    expect(state).toMatchObject({ deleted: false, revivals: 1 });
  });

  it('given a deletion less than an hour old, when the shop still shows the record, then nothing is taken back (its lists may lag)', () => {
    const { decisions } = run([pending, deletion, shown(later(at(9), HOUR - 1))]);

    expect(types(decisions[2]!.events)).toEqual([]);
    expect(decisions[2]!.state).toBeUndefined();
  });

  it('given a deleted order, when a snapshot arrives that the sweep did not confirm, then it stays deleted', () => {
    const { decisions } = run([pending, deletion, order({ updatedAt: at(59), financialStatus: 'paid' })]);

    expect(types(decisions[2]!.events)).toEqual([]);
  });

  it('given a revived order, when it is really deleted later, then that deletion is an event of its own', () => {
    const { decisions, state } = run([
      pending,
      deletion,
      shown(later(at(9), HOUR)),
      order({ updatedAt: later(at(9), 2 * HOUR), financialStatus: 'paid' }),
      { ...deletion, deletedAt: later(at(9), 3 * HOUR) },
    ]);

    expect(decisions.map((d) => types(d.events))).toEqual([
      ['OrderCreated'],
      ['OrderDeleted'],
      ['OrderCreated'],
      ['PaymentStatusChanged'],
      ['OrderDeleted'],
    ]);
    expect(decisions[4]!.events[0]!.metadata.eventId).not.toBe(decisions[1]!.events[0]!.metadata.eventId);
    expect(state).toMatchObject({ deleted: true, revivals: 1 });
  });

  it('given the same revival decided again (a crash before its commit), then its events have the same ids', () => {
    const tombstone = run([pending, deletion]).state;
    const first = decide(tombstone, shown(later(at(9), HOUR)), ctx);
    const again = decide(tombstone, shown(later(at(9), HOUR)), ctx);

    expect(again).toEqual(first);
  });

  it('given a tombstone stored before deletions kept their time, then it is never taken back', () => {
    const old: AggregateState = { ...run([pending]).state!, deleted: true };

    expect(types(decide(old, shown(later(at(1), 100 * HOUR)), ctx).events)).toEqual([]);
  });

  it('given a forged deletion, when the merchant really deletes the order after the sweep read it, then it stays deleted', () => {
    const sweepReadAt = later(at(9), 25 * HOUR);
    const { decisions, state } = run([
      pending,
      deletion,
      { ...deletion, deletedAt: later(sweepReadAt, 60_000) },
      shown(sweepReadAt),
    ]);

    expect(decisions.map((d) => types(d.events))).toEqual([['OrderCreated'], ['OrderDeleted'], [], []]);
    expect(state).toMatchObject({ deleted: true, deletedAt: later(sweepReadAt, 60_000) });
  });

  it('given a deleted customer the shop still shows, then it is upserted again', () => {
    const customerDeleted: Observation = {
      kind: 'customer-deleted',
      customerId: sampleCustomer.customerId,
      deletedAt: at(9),
    };
    const customer: Observation = { kind: 'customer', snapshot: { ...sampleCustomer, updatedAt: at(1) } };
    const { decisions } = run([customer, customerDeleted, { ...customer, existsAt: later(at(9), HOUR) }]);

    expect(decisions.map((d) => types(d.events))).toEqual([
      ['CustomerUpserted'],
      ['CustomerDeleted'],
      ['CustomerUpserted'],
    ]);
  });
});

describe('aggregateKey', () => {
  it('given a snapshot and a deletion of the same order, when keyed, then both have the same key', () => {
    expect(aggregateKey('shop-1', pending)).toBe(`shop-1:order:${sampleOrder.orderId}`);
    expect(
      aggregateKey('shop-1', { kind: 'order-deleted', orderId: sampleOrder.orderId, deletedAt: at(1) }),
    ).toBe(`shop-1:order:${sampleOrder.orderId}`);
  });
});
