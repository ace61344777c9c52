import { describe, expect, it } from 'vitest';
import { AppError } from '@cdp/contracts';
import { createLogger } from '@cdp/logging';
import type { CustomerRebuildRequest } from '@cdp/read-models';
import type { CustomerRebuildRequests } from './customer-rebuild-requests';
import { runCustomerRebuilds } from './customer-rebuild-runner';

const log = createLogger('runner-test', 'silent');

/** Requests in memory, claimed in order; records what each ended as. */
function requestsOf(ids: string[]) {
  const open = [...ids];
  const ended: Record<string, string> = {};
  const requests = {
    claim: () => {
      const id = open.shift();
      return Promise.resolve(
        id === undefined
          ? null
          : ({
              _id: id,
              tenantId: 't1',
              customerId: id,
              state: 'running',
              attempts: 1,
            } as CustomerRebuildRequest),
      );
    },
    finish: (id: string, outcome: { applied: number } | { error: string }) => {
      ended[id] = 'error' in outcome ? `failed: ${outcome.error}` : `done: ${outcome.applied}`;
      return Promise.resolve();
    },
    retryLater: (request: CustomerRebuildRequest, error: string) => {
      ended[request._id] = `pending: ${error}`;
      return Promise.resolve();
    },
  } as unknown as CustomerRebuildRequests;
  return { requests, ended };
}

describe('running the customer rebuild requests', () => {
  it('fails a request for good on an error that cannot pass, and goes on with the next', async () => {
    const { requests, ended } = requestsOf(['c1', 'c2']);
    await runCustomerRebuilds(
      requests,
      (_tenant, customerId) =>
        customerId === 'c1'
          ? Promise.reject(new AppError('ERR_REBUILD_WRITE_REFUSED', 'refused', false))
          : Promise.resolve({ applied: 3 }),
      log,
    );
    expect(ended).toEqual({ c1: 'failed: refused', c2: 'done: 3' });
  });

  it('leaves a request that failed in a way that may pass (Kafka away) pending, and stops until the next look', async () => {
    const { requests, ended } = requestsOf(['c1', 'c2']);
    await runCustomerRebuilds(
      requests,
      () => Promise.reject(new AppError('ERR_REBUILD_EVENTS_UNREAD', 'the log was not read', true)),
      log,
    );
    expect(ended).toEqual({ c1: 'pending: the log was not read' });
  });
});
