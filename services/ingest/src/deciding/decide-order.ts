import {
  financialStatuses,
  type DomainEvent,
  type FinancialStatus,
  type OrderSnapshot,
} from '@cdp/contracts';
import type { AggregateState } from './aggregate-state';
import { eventId, eventMetadata } from './event-metadata';
import { fingerprintOf, shortHash } from './hashing';
import type { Decision, DecisionContext } from './observation';
import { changedFields, snapshotFields } from './snapshot-fields';
import { orderFingerprint, trackedOrderState } from './order-progress';
import { supersedes } from './supersedes';

// Each changed field is reported by exactly one event: payment and cancellation have their own.
const paymentFields = ['financialStatus'];
const cancellationFields = ['cancelled', 'cancelledAt', 'cancelReason'];

/**
 * First sight → OrderCreated (its statuses are in the snapshot). Afterwards, for a newer snapshot:
 * PaymentStatusChanged, OrderCancelled (false → true only) and one OrderUpdated for everything else.
 */
export function decideOrder(
  state: AggregateState | undefined,
  snapshot: OrderSnapshot,
  key: string,
  ctx: DecisionContext,
  buyerVersion: string | null,
): Decision {
  const tracked = trackedOrderState(snapshot);
  const fingerprint = orderFingerprint(snapshot, buyerVersion, fingerprintOf(tracked));
  if (state && (state.deleted || !supersedes(state, snapshot.updatedAt, fingerprint))) {
    return { events: [], state: undefined };
  }
  const next: AggregateState = {
    version: snapshot.updatedAt,
    fingerprint,
    fields: snapshotFields(tracked, ['financialStatus', 'cancelled']),
    deleted: false,
  };
  const metadata = (type: DomainEvent['type']) =>
    eventMetadata(ctx, {
      type,
      id: eventId(ctx, key, type, snapshot.updatedAt, fingerprint),
      aggregateId: snapshot.orderId,
      occurredAt: snapshot.updatedAt,
    });
  if (!state) {
    return {
      events: [{ type: 'OrderCreated', data: { order: snapshot }, metadata: metadata('OrderCreated') }],
      state: next,
    };
  }

  const changed = changedFields(asTrackedNow(state.fields), next.fields);
  const events: DomainEvent[] = [];
  const paymentChanged = changed.includes('financialStatus');
  if (paymentChanged) {
    events.push({
      type: 'PaymentStatusChanged',
      data: {
        order: snapshot,
        previousStatus: asFinancialStatus(state.fields['financialStatus']),
        status: snapshot.financialStatus,
      },
      metadata: metadata('PaymentStatusChanged'),
    });
  }
  const cancelling = snapshot.cancelled && state.fields['cancelled'] !== 'true';
  if (cancelling) {
    events.push({
      type: 'OrderCancelled',
      data: { order: snapshot, reason: snapshot.cancelReason },
      metadata: metadata('OrderCancelled'),
    });
  }
  const others = changed.filter(
    (field) =>
      !(paymentChanged && paymentFields.includes(field)) &&
      !(cancelling && cancellationFields.includes(field)),
  );
  if (others.length > 0) {
    events.push({
      type: 'OrderUpdated',
      data: { order: snapshot, changedFields: others },
      metadata: metadata('OrderUpdated'),
    });
  }
  return { events, state: next };
}

/**
 * A state stored before no fulfilment at all was one value (`trackedOrderState`) has null's hash
 * there: taken as `notfulfilled`'s, so the order's next copy reports no change of it.
 */
const UNFULFILLED_BEFORE = shortHash(null);
const UNFULFILLED = shortHash('notfulfilled');
const asTrackedNow = (fields: Record<string, string>): Record<string, string> =>
  fields['fulfillmentStatus'] === UNFULFILLED_BEFORE ? { ...fields, fulfillmentStatus: UNFULFILLED } : fields;

/** A state written by an older format may lack the readable status; 'unknown' is the honest answer then. */
function asFinancialStatus(value: string | undefined): FinancialStatus {
  return (financialStatuses as readonly (string | undefined)[]).includes(value)
    ? (value as FinancialStatus)
    : 'unknown';
}
