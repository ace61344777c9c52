import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { CUSTOMER_REBUILDS, type CustomerRebuildRequest } from '@cdp/read-models';

/** Runs begun before a request is given up as one that kills whatever runs it. */
const MAX_ATTEMPTS = 3;

/**
 * `pnpm replay --customer` asks, whoever holds the live projector's lease runs: a customer is
 * rebuilt by the read models' only writer, in turn with its batches. The asking process writes a
 * request once; after that only the lease holder writes it (one writer per document).
 */
export function customerRebuildRequests(db: Db) {
  const requests: Collection<CustomerRebuildRequest> = db.collection(CUSTOMER_REBUILDS);
  const finish = async (id: string, outcome: { applied: number } | { error: string }) => {
    await requests.updateOne(
      { _id: id },
      'error' in outcome
        ? { $set: { state: 'failed', error: outcome.error, finishedAt: new Date() } }
        : // A failed try before it leaves an error that no longer stands.
          {
            $set: { state: 'done', applied: outcome.applied, finishedAt: new Date() },
            $unset: { error: '' },
          },
    );
  };
  return {
    ensureIndexes: async () => {
      await requests.createIndex({ state: 1 });
      // The ops console lists the latest.
      await requests.createIndex({ requestedAt: 1 });
    },

    async request(tenantId: string, customerId: string): Promise<string> {
      const _id = randomUUID();
      await requests.insertOne({
        _id,
        tenantId,
        customerId,
        state: 'pending',
        requestedAt: new Date(),
        attempts: 0,
      });
      return _id;
    },

    get: (id: string) => requests.findOne({ _id: id }),

    /**
     * The oldest open request, marked running: one left running is one whose runner died, so it
     * is run again (a rebuild starts by removing the customer's documents). Null when none is open.
     */
    async claim(): Promise<CustomerRebuildRequest | null> {
      for (;;) {
        const open = await requests
          .find({ state: { $in: ['pending', 'running'] } })
          .sort({ requestedAt: 1 })
          .limit(1)
          .next();
        if (!open) return null;
        if (open.attempts >= MAX_ATTEMPTS) {
          await finish(open._id, {
            error: `ERR_REBUILD_ABANDONED: begun ${open.attempts} times without finishing`,
          });
          continue;
        }
        const running = { state: 'running' as const, startedAt: new Date(), attempts: open.attempts + 1 };
        await requests.updateOne({ _id: open._id }, { $set: running });
        return { ...open, ...running };
      }
    },

    finish,

    /** Back to pending after a failure that may pass (Kafka away): a later look runs it again. */
    async retryLater(id: string, error: string): Promise<void> {
      await requests.updateOne({ _id: id }, { $set: { state: 'pending', error } });
    },
  };
}

export type CustomerRebuildRequests = ReturnType<typeof customerRebuildRequests>;
