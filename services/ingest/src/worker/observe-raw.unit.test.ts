import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AggregateState } from '../deciding/aggregate-state';
import { decide } from '../deciding/decide';
import { haravanCustomer, haravanOrder } from '../haravan/haravan-payloads.fixture';
import { INVALID_PAYLOAD } from '../haravan/invalid-payload';
import { haravanTopics } from '../haravan/topic-catalog';
import type { RawRecord } from '../webhook/raw-record';
import { observeRaw } from './observe-raw';

const record = (source: RawRecord['source']): RawRecord => ({
  key: 'shop:order:1001',
  body: Buffer.from(JSON.stringify({ ...haravanOrder, id: 1001 })),
  tenantId: 'shop',
  haravanTopic: 'orders/create',
  orgId: '1',
  source,
  receivedAt: '2026-11-20T03:00:00.000Z',
});

describe('observing raw records', () => {
  it('takes a webhook order as the order it describes, with its embedded customer', () => {
    const observed = observeRaw(record('webhook'));

    expect(observed.ok && observed.value.observation?.kind).toBe('order');
    expect(observed.ok && observed.value.embeddedCustomer).not.toBeNull();
  });

  it("takes a record the deletion sweep read back as proof the order exists at its receipt, and a poll's as none", () => {
    const swept = observeRaw(record('sweep'));
    const polled = observeRaw(record('poll'));

    expect(swept.ok && swept.value.observation).toMatchObject({
      kind: 'order',
      existsAt: '2026-11-20T03:00:00.000Z',
    });
    expect(polled.ok && polled.value.observation).not.toHaveProperty('existsAt');
  });

  it("reads an order in REST's wrapper as the bare one, its embedded customer and the buyer's version included", () => {
    const wrapped = observeRaw({
      ...record('webhook'),
      body: Buffer.from(JSON.stringify({ order: { ...haravanOrder, id: 1001 } })),
    });
    const bare = observeRaw(record('webhook'));

    expect(wrapped).toEqual(bare);
    expect(wrapped.ok && wrapped.value.embeddedCustomer?.body.toString()).toBe(
      JSON.stringify(haravanOrder.customer),
    );
  });

  it('takes a body that starts with a byte order mark as the order it describes', () => {
    const marked = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), record('webhook').body]);
    const observed = observeRaw({ ...record('webhook'), body: marked });
    expect(observed.ok && observed.value.observation?.kind).toBe('order');
  });

  it('refuses an order filed under a customer topic, polled or delivered, so the decider parks it', () => {
    for (const source of ['webhook', 'poll'] as const) {
      const observed = observeRaw({ ...record(source), haravanTopic: 'customers/update' });
      expect(!observed.ok && observed.error.code).toBe(INVALID_PAYLOAD);
    }
  });

  it('takes nothing from a test delivery, however real its sample looks', () => {
    expect(observeRaw(record('webhook-test'))).toEqual({
      ok: true,
      value: { observation: null, embeddedCustomer: null },
    });
  });

  it('takes, of two copies of one order version, the one embedding the newer buyer as the later, in either arrival order', () => {
    // Haravan embeds the customer as it is now: a retried webhook can carry the buyer as they were.
    const copy = (phone: string, updatedAt: string) =>
      observeRaw({
        ...record('webhook'),
        body: Buffer.from(
          JSON.stringify({ ...haravanOrder, customer: { ...haravanCustomer, phone, updated_at: updatedAt } }),
        ),
      });
    const stale = copy('0333333333', '2021-10-20T14:07:45.084Z');
    const fresh = copy('0911111110', '2021-10-20T14:10:30Z');
    const ctx = {
      tenantId: 'shop',
      source: 'webhook',
      causationId: 'c',
      recordedAt: '2026-11-20T03:00:00.000Z',
    } as const;
    const deliver = (...copies: (typeof stale)[]) => {
      let state: AggregateState | undefined;
      const events = copies.flatMap((observed) => {
        if (!observed.ok || !observed.value.observation) throw new Error('not observed');
        const decision = decide(state, observed.value.observation, ctx);
        state = decision.state ?? state;
        return decision.events;
      });
      return events.map((e) => [e.type, e.type === 'OrderUpdated' ? e.data.order.buyer?.phone : null]);
    };

    expect(deliver(fresh, stale)).toEqual([['OrderCreated', null]]);
    // A state stored before fingerprints carried the buyer's version counts as having none.
    if (!stale.ok || !fresh.ok || !stale.value.observation || !fresh.value.observation)
      throw new Error('not observed');
    const stored = decide(undefined, stale.value.observation, ctx).state!;
    const before = {
      ...stored,
      fingerprint: `${stored.fingerprint.slice(0, 3)}-${stored.fingerprint.slice(-64)}`,
    };
    expect(decide(before, fresh.value.observation, ctx).events.map((e) => e.type)).toEqual(['OrderUpdated']);
    expect(deliver(stale, fresh)).toEqual([
      ['OrderCreated', null],
      ['OrderUpdated', '+84911111110'],
    ]);
  });

  it('reads any body, however its fields are broken or wrapped, to an event or a reason, never by throwing', () => {
    /** Every path into `value` (object keys, array indexes), the value itself first. */
    const pathsOf = (value: unknown, at: (string | number)[] = []): (string | number)[][] =>
      value !== null && typeof value === 'object'
        ? [
            at,
            ...Object.entries(value).flatMap(([k, v]) =>
              pathsOf(v, [...at, Array.isArray(value) ? Number(k) : k]),
            ),
          ]
        : [at];
    const withValueAt = (base: unknown, path: (string | number)[], value: unknown): unknown => {
      if (path.length === 0) return value;
      const [head, ...rest] = path as [string | number, ...(string | number)[]];
      const copy = (Array.isArray(base) ? [...(base as unknown[])] : { ...(base as object) }) as Record<
        string | number,
        unknown
      >;
      copy[head] = withValueAt(copy[head], rest, value);
      return copy;
    };
    const broken = (base: object) =>
      fc
        .array(fc.tuple(fc.constantFrom(...pathsOf(base)), fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 })
        .map((edits) => edits.reduce<unknown>((body, [path, value]) => withValueAt(body, path, value), base));
    const bodies = fc.oneof(broken(haravanOrder), broken(haravanCustomer), fc.jsonValue({ maxDepth: 3 }));
    const topics = fc.constantFrom(...Object.keys(haravanTopics));
    const wrappers = fc.constantFrom(null, 'order', 'customer', 'product');

    fc.assert(
      fc.property(bodies, topics, wrappers, (body, topic, wrapper) => {
        const observed = observeRaw({
          ...record('webhook'),
          haravanTopic: topic,
          body: Buffer.from(JSON.stringify(wrapper ? { [wrapper]: body } : body) ?? 'null'),
        });
        expect(!observed.ok && observed.error.code).not.toBe('ERR_INGEST_UNREADABLE');
      }),
      { numRuns: 2_000 },
    );
  });
});
