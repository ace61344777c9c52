import { domainEventSchema, financialStatuses, type OrderSnapshot } from '@cdp/contracts';
import { sampleOrder } from '@cdp/contracts/samples';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AggregateState } from './aggregate-state';
import { decide } from './decide';
import { fingerprintOf } from './hashing';
import type { DecisionContext } from './observation';
import { orderProgress, trackedOrderState } from './order-progress';

const ctx: DecisionContext = {
  tenantId: 't',
  source: 'poll',
  causationId: 'c',
  recordedAt: '2026-01-01T00:00:00.000Z',
};

/** Versions of one order; few distinct minutes so equal updatedAt with different content is common. */
const version = fc
  .record({
    minute: fc.integer({ min: 0, max: 5 }),
    financialStatus: fc.constantFrom(...financialStatuses),
    cancelled: fc.boolean(),
    fulfillmentStatus: fc.constantFrom(null, 'notfulfilled', 'partial', 'fulfilled'),
    totalRefunded: fc.constantFrom('0', '520000'),
  })
  .map(({ minute, ...changes }): OrderSnapshot => ({
    ...sampleOrder,
    ...changes,
    financialStatusRaw: changes.financialStatus,
    updatedAt: `2026-11-20T03:0${minute}:00.000Z`,
  }));

/** A delivery schedule: every version at least once, some repeated, in random order. */
const deliveries = fc.array(version, { minLength: 1, maxLength: 8 }).chain((versions) =>
  fc
    .array(fc.constantFrom(...versions), { maxLength: 8 })
    .chain((repeats) =>
      fc.shuffledSubarray([...versions, ...repeats], { minLength: versions.length + repeats.length }),
    )
    .map((shuffled) => ({ versions, shuffled })),
);

function deliver(snapshots: readonly OrderSnapshot[]) {
  let state: AggregateState | undefined;
  const eventIds: string[] = [];
  for (const snapshot of snapshots) {
    const decision = decide(state, { kind: 'order', snapshot }, ctx);
    for (const event of decision.events) eventIds.push(domainEventSchema.parse(event).metadata.eventId);
    state = decision.state ?? state;
  }
  return { state, eventIds };
}

/** Newest = latest updatedAt; within one instant, the order furthest along its life, then the larger hash. */
const byUpdatedAtThenFingerprint = (a: OrderSnapshot, b: OrderSnapshot) =>
  a.updatedAt.localeCompare(b.updatedAt) ||
  orderProgress(a) - orderProgress(b) ||
  fingerprintOf(trackedOrderState(a)).localeCompare(fingerprintOf(trackedOrderState(b)));

describe('decide under any arrival order', () => {
  it('given versions of one order delivered shuffled and duplicated, when decided, then the final state equals in-order delivery and no event id repeats', () => {
    fc.assert(
      fc.property(deliveries, ({ versions, shuffled }) => {
        const inOrder = deliver([...versions].sort(byUpdatedAtThenFingerprint));
        const actual = deliver(shuffled);

        expect(actual.state).toEqual(inOrder.state);
        expect(new Set(actual.eventIds).size).toBe(actual.eventIds.length);
      }),
      { numRuns: 300 },
    );
  });

  it('given any delivery, when decided, then the final state is the one the newest version alone would give', () => {
    fc.assert(
      fc.property(deliveries, ({ versions, shuffled }) => {
        const newest = [...versions].sort(byUpdatedAtThenFingerprint).at(-1)!;

        expect(deliver(shuffled).state).toEqual(deliver([newest]).state);
      }),
      { numRuns: 300 },
    );
  });
});
