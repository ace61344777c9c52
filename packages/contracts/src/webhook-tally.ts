/**
 * Webhook deliveries by outcome, as ingest writes them per tenant and process (`webhook_counts`): an
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

/** One tenant's deliveries summed over the processes that counted them (ingest's status, the ops console). */
export function tallyWebhooks(docs: readonly WebhookOutcomeCounts[]): WebhookTally {
  const tally: WebhookTally = { accepted: 0, rejected: {}, lastReceivedAt: null };
  for (const doc of docs) {
    for (const [outcome, n] of Object.entries(doc.outcomes)) {
      if (ACCEPTED.has(outcome)) tally.accepted += n;
      else tally.rejected[outcome] = (tally.rejected[outcome] ?? 0) + n;
    }
    if (doc.lastReceivedAt && doc.lastReceivedAt > (tally.lastReceivedAt ?? ''))
      tally.lastReceivedAt = doc.lastReceivedAt;
  }
  return tally;
}
