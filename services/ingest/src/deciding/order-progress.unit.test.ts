import { describe, expect, it } from 'vitest';
import { type OrderSnapshot } from '@cdp/contracts';
import { sampleOrder } from '@cdp/contracts/samples';
import { decide } from './decide';
import type { DecisionContext } from './observation';

const ctx: DecisionContext = {
  tenantId: 't1',
  source: 'webhook',
  causationId: 'raw/0/1',
  recordedAt: '2026-11-20T03:05:00.000Z',
};
const at = '2026-11-20T03:04:05.000Z';
const confirmed: OrderSnapshot = {
  ...sampleOrder,
  updatedAt: at,
  financialStatus: 'pending',
  confirmed: true,
  fulfillmentStatus: 'notfulfilled',
};
const paid: OrderSnapshot = { ...confirmed, financialStatus: 'paid' };
const fulfilled: OrderSnapshot = { ...paid, fulfillmentStatus: 'fulfilled' };

describe('several changes stamped with the same updated_at', () => {
  it('given confirm, pay and fulfil in one instant delivered in any order, ends fulfilled and paid', () => {
    for (const order of [
      [confirmed, paid, fulfilled],
      [fulfilled, paid, confirmed],
      [paid, fulfilled, confirmed],
    ]) {
      let state = undefined;
      for (const snapshot of order) state = decide(state, { kind: 'order', snapshot }, ctx).state ?? state;
      const last = decide(state, { kind: 'order', snapshot: fulfilled }, ctx);
      expect(last.events).toEqual([]);
      expect(state?.fields.financialStatus).toBe('paid');
    }
  });

  it('given them in order, reports each as its own event', () => {
    const first = decide(undefined, { kind: 'order', snapshot: confirmed }, ctx);
    const second = decide(first.state, { kind: 'order', snapshot: paid }, ctx);
    const third = decide(second.state, { kind: 'order', snapshot: fulfilled }, ctx);
    expect([first, second, third].map((d) => d.events.map((e) => e.type))).toEqual([
      ['OrderCreated'],
      ['PaymentStatusChanged'],
      ['OrderUpdated'],
    ]);
  });
});
