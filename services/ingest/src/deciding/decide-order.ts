import {
  financialStatuses,
  type DomainEvent,
  type FinancialStatus,
  type OrderSnapshot,
} from '@cdp/contracts';
import type { AggregateState } from './aggregate-state';
import { eventId, eventMetadata } from './event-metadata';
import { fingerprintOf } from './hashing';
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
  if (state && (state.deleted || !supersedes(withBuyerVersion(state), snapshot.updatedAt, fingerprint))) {
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

  const changed = changedFields(state.fields, next.fields);
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
 * A state stored before fingerprints carried the buyer's version (`NNN-<hash>`) compares as one
 * without a buyer version (`NNN--<hash>`): a copy with a known buyer is the later one.
 */
const withBuyerVersion = (state: AggregateState): AggregateState =>
  /^\d{3}-[0-9a-f]{64}$/.test(state.fingerprint)
    ? { ...state, fingerprint: state.fingerprint.replace('-', '--') }
    : state;

/** A state written by an older format may lack the readable status; 'unknown' is the honest answer then. */
function asFinancialStatus(value: string | undefined): FinancialStatus {
  return (financialStatuses as readonly (string | undefined)[]).includes(value)
    ? (value as FinancialStatus)
    : 'unknown';
}
