import { describe, expect, it } from 'vitest';
import { haravanOrder } from '../haravan/haravan-payloads.fixture';
import { INVALID_PAYLOAD } from '../haravan/invalid-payload';
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
});
