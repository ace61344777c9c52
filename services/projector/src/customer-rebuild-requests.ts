import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { CUSTOMER_REBUILDS, type CustomerRebuildRequest } from '@cdp/read-models';
import { backoffDelay, type Backoff } from './through-outages';

/** Runs begun before a request is given up as one that kills whatever runs it. */
const MAX_ATTEMPTS = 3;
/** Runs that failed in a way that may pass, the wait doubling from 5 s: about five minutes in all. */
const MAX_RETRIES = 6;
const RETRY_BACKOFF: Backoff = { baseMs: 5_000, maxMs: 300_000 };

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
          .find({
            state: { $in: ['pending', 'running'] },
            $or: [{ retryAt: { $exists: false } }, { retryAt: { $lte: new Date() } }],
          })
          .sort({ requestedAt: 1 })
          .limit(1)
          .next();
        if (!open) return null;
        if (open.attempts >= MAX_ATTEMPTS) {
          await finish(open._id, {
            error: `ERR_REBUILD_ABANDONED: begun ${open.attempts} times without finishing${open.error ? `; last: ${open.error}` : ''}`,
          });
          continue;
        }
        const running = { state: 'running' as const, startedAt: new Date(), attempts: open.attempts + 1 };
        await requests.updateOne({ _id: open._id }, { $set: running });
        return { ...open, ...running };
      }
    },

    finish,

    /**
     * Back to pending after a run that failed in a way that may pass (Kafka away), to be run again
     * after a wait; that run ended, so it counts as no death. Failed for good after `MAX_RETRIES`.
     */
    async retryLater(request: CustomerRebuildRequest, error: string): Promise<void> {
      const retries = (request.retries ?? 0) + 1;
      if (retries > MAX_RETRIES) {
        await finish(request._id, { error: `ERR_REBUILD_GAVE_UP: failed ${retries} times; last: ${error}` });
        return;
      }
      await requests.updateOne(
        { _id: request._id },
        {
          $set: {
            state: 'pending',
            error,
            retries,
            retryAt: new Date(Date.now() + backoffDelay(RETRY_BACKOFF, retries)),
            attempts: request.attempts - 1,
          },
        },
      );
    },
  };
}

export type CustomerRebuildRequests = ReturnType<typeof customerRebuildRequests>;
