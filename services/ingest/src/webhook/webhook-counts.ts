import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { addWebhookCounts, oneAtATime, tallyWebhooks, type WebhookOutcomeCounts } from '@cdp/contracts';
import { createLease } from '@cdp/mongo';

export const webhookTallySchema = z.strictObject({
  accepted: z.number().int().min(0).describe('deliveries answered 200 or 202'),
  rejected: z
    .record(z.string(), z.number().int().min(0))
    .describe("the tenant's deliveries refused, by error code"),
  lastReceivedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type WebhookTally = z.output<typeof webhookTallySchema>;

const FLUSH_MS = 2_000;
/** How long a slot stays its process's after the last flush renewed it. */
const SLOT_TTL_MS = 60_000;

interface CountsDoc extends WebhookOutcomeCounts {
  _id: string;
  tenantId: string;
}

/**
 * Per tenant, how many webhook deliveries were accepted or refused (and why), for the sync status.
 * A process counts in memory and, every `FLUSH_MS`, adds what it counted to its slot's document of
 * each tenant: a slot (`slot-0`, `slot-1`, …) is a lease, so each document has one writer, and a
 * restarted process takes a free slot and goes on adding to its totals. Documents stay as many per
 * tenant as processes run at once (before, each process start made new ones). The status adds up
 * the slots' documents and this process's unwritten counts. A crash loses at most `FLUSH_MS` of
 * counts; two processes in one slot (FerretDB lets two take a free lease at one instant) lose some,
 * and never count one twice.
 */
export function createWebhookCounts(db: Db, opts: { slotTtlMs?: number } = {}) {
  const collection = db.collection<CountsDoc>('webhook_counts');
  const lease = createLease({
    db,
    collection: 'webhook_count_slots',
    holder: randomUUID(),
    ttlMs: opts.slotTtlMs ?? SLOT_TTL_MS,
    now: Date.now,
  });
  /** Counted since the last flush, per tenant. */
  let unwritten = new Map<string, WebhookOutcomeCounts>();
  let slot: string | null = null;

  /** The slot this process writes: kept while renewed, else the lowest free one. */
  async function holdSlot(): Promise<string> {
    if (slot !== null && (await lease.acquire(slot)) !== null) return slot;
    for (let k = 0; ; k++) {
      if ((await lease.acquire(`slot-${k}`)) !== null) return (slot = `slot-${k}`);
    }
  }

  // A flush reads each document before adding to it: two at once would lose one's counts.
  const inTurn = oneAtATime();
  const flush = () => inTurn(flushNow);

  async function flushNow(): Promise<void> {
    if (unwritten.size === 0) return;
    const pending = unwritten;
    unwritten = new Map();
    try {
      const mine = await holdSlot();
      for (const [tenantId, counts] of pending) {
        const _id = `${tenantId}/${mine}`;
        const stored = await collection.findOne({ _id });
        const sum = stored ? addWebhookCounts(stored, counts) : counts;
        await collection.updateOne({ _id }, { $set: { tenantId, ...sum } }, { upsert: true });
        pending.delete(tenantId);
      }
    } finally {
      // What was not written goes with the next flush.
      for (const [tenantId, counts] of pending) {
        const later = unwritten.get(tenantId);
        unwritten.set(tenantId, later ? addWebhookCounts(counts, later) : counts);
      }
    }
  }
  const timer = setInterval(() => void flush().catch(() => undefined), FLUSH_MS);
  timer.unref();

  return {
    ensureIndexes: () => collection.createIndex({ tenantId: 1 }).then(() => undefined),
    /** One delivery of a known tenant: `accepted…` or the error code it was refused with. */
    count(tenantId: string, outcome: string): void {
      const counts = unwritten.get(tenantId) ?? { outcomes: {}, lastReceivedAt: null };
      counts.outcomes[outcome] = (counts.outcomes[outcome] ?? 0) + 1;
      counts.lastReceivedAt = new Date().toISOString();
      unwritten.set(tenantId, counts);
    },
    async of(tenantId: string): Promise<WebhookTally> {
      const stored = await collection.find({ tenantId }).toArray();
      const own = unwritten.get(tenantId);
      return tallyWebhooks([...stored, ...(own ? [own] : [])]);
    },
    flush,
    async close(): Promise<void> {
      clearInterval(timer);
      await flush();
      if (slot !== null) await lease.release(slot);
    },
  };
}
export type WebhookCounts = ReturnType<typeof createWebhookCounts>;
