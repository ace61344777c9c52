import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { tallyWebhooks, type WebhookOutcomeCounts } from '@cdp/contracts';

export const webhookTallySchema = z.strictObject({
  accepted: z.number().int().min(0).describe('deliveries answered 200 or 202'),
  rejected: z
    .record(z.string(), z.number().int().min(0))
    .describe("the tenant's deliveries refused, by error code"),
  lastReceivedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type WebhookTally = z.output<typeof webhookTallySchema>;

const FLUSH_MS = 2_000;

interface CountsDoc extends WebhookOutcomeCounts {
  _id: string;
  tenantId: string;
}

/**
 * Per tenant, how many webhook deliveries were accepted or refused (and why), for the sync status.
 * Each process keeps its own totals in memory and writes them, whole, to its own document every
 * `FLUSH_MS` (one writer per document; no increments to race); the status adds up every process's
 * document, this one's unwritten totals included. A crash loses at most `FLUSH_MS` of counts.
 */
export function createWebhookCounts(db: Db) {
  const collection = db.collection<CountsDoc>('webhook_counts');
  const instance = randomUUID();
  const totals = new Map<string, { outcomes: Record<string, number>; lastReceivedAt: string }>();
  const dirty = new Set<string>();
  const docId = (tenantId: string) => `${tenantId}/${instance}`;

  async function flush(): Promise<void> {
    const tenants = [...dirty];
    dirty.clear();
    for (const tenantId of tenants) {
      const own = totals.get(tenantId);
      if (!own) continue;
      await collection
        .updateOne({ _id: docId(tenantId) }, { $set: { tenantId, ...own } }, { upsert: true })
        .catch((error: unknown) => {
          dirty.add(tenantId);
          throw error;
        });
    }
  }
  const timer = setInterval(() => void flush().catch(() => undefined), FLUSH_MS);
  timer.unref();

  return {
    ensureIndexes: () => collection.createIndex({ tenantId: 1 }).then(() => undefined),
    /** One delivery of a known tenant: `accepted…` or the error code it was refused with. */
    count(tenantId: string, outcome: string): void {
      const own = totals.get(tenantId) ?? { outcomes: {}, lastReceivedAt: '' };
      own.outcomes[outcome] = (own.outcomes[outcome] ?? 0) + 1;
      own.lastReceivedAt = new Date().toISOString();
      totals.set(tenantId, own);
      dirty.add(tenantId);
    },
    async of(tenantId: string): Promise<WebhookTally> {
      const others = await collection.find({ tenantId }).toArray();
      const own = totals.get(tenantId);
      return tallyWebhooks([...others.filter((d) => d._id !== docId(tenantId)), ...(own ? [own] : [])]);
    },
    flush,
    async close(): Promise<void> {
      clearInterval(timer);
      await flush();
    },
  };
}
export type WebhookCounts = ReturnType<typeof createWebhookCounts>;
