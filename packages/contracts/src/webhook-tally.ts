/**
 * Webhook deliveries by outcome, as ingest writes them per tenant and slot (`webhook_counts`): an
 * `accepted…` outcome or the error code a delivery was refused with.
 */
export interface WebhookOutcomeCounts {
  outcomes: Record<string, number>;
  lastReceivedAt: string | null;
}

export interface WebhookTally {
  /** Deliveries answered 200 or 202. */
  accepted: number;
  /** Deliveries refused, by error code. */
  rejected: Record<string, number>;
  lastReceivedAt: string | null;
}

const ACCEPTED = new Set(['accepted', 'accepted_unknown_topic', 'accepted_test']);

/** The later of two receipt times; an empty one is none. */
const later = (a: string | null, b: string | null): string | null => (a && (!b || a > b) ? a : b || null);

/** Two counts of one tenant's deliveries as one. */
export function addWebhookCounts(a: WebhookOutcomeCounts, b: WebhookOutcomeCounts): WebhookOutcomeCounts {
  const outcomes = { ...a.outcomes };
  for (const [outcome, n] of Object.entries(b.outcomes)) outcomes[outcome] = (outcomes[outcome] ?? 0) + n;
  return { outcomes, lastReceivedAt: later(a.lastReceivedAt, b.lastReceivedAt) };
}

/** One tenant's deliveries summed over the slots that counted them (ingest's status, the ops console). */
export function tallyWebhooks(docs: readonly WebhookOutcomeCounts[]): WebhookTally {
  const sum = docs.reduce(addWebhookCounts, { outcomes: {}, lastReceivedAt: null });
  const tally: WebhookTally = { accepted: 0, rejected: {}, lastReceivedAt: sum.lastReceivedAt };
  for (const [outcome, n] of Object.entries(sum.outcomes)) {
    if (ACCEPTED.has(outcome)) tally.accepted += n;
    else tally.rejected[outcome] = (tally.rejected[outcome] ?? 0) + n;
  }
  return tally;
}
