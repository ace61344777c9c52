import { isRetriable } from '@cdp/contracts';
import type { Logger } from '@cdp/logging';
import type { CustomerRebuildRequests } from './customer-rebuild-requests';

type RebuildOne = (tenantId: string, customerId: string) => Promise<{ applied: number }>;

/**
 * Runs the open requests, oldest first, until none is open; each ends done or failed with the
 * reason. One that failed in a way that may pass is left pending, and this run ends: the next look
 * tries it again, within its attempts.
 */
export async function runCustomerRebuilds(
  requests: CustomerRebuildRequests,
  rebuild: RebuildOne,
  log: Logger,
): Promise<void> {
  for (let next = await requests.claim(); next; next = await requests.claim()) {
    const customer = { tenantId: next.tenantId, customerId: next.customerId, request: next._id };
    log.info(customer, 'rebuilding a customer');
    let outcome: { applied: number } | { error: string };
    try {
      outcome = await rebuild(next.tenantId, next.customerId);
      log.info({ ...customer, ...outcome }, 'customer rebuilt');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (isRetriable(error)) {
        log.warn({ ...customer, err: error }, 'customer rebuild failed; tried again later');
        await requests.retryLater(next, reason);
        return;
      }
      log.error({ ...customer, err: error }, 'customer rebuild failed');
      outcome = { error: reason };
    }
    await requests.finish(next._id, outcome);
  }
}

/**
 * The live projector looks for requests every `intervalMs`, one run at a time. `stop` only stops
 * looking: a run cut short by the process's exit is left running, so it is run again later.
 */
export function serveCustomerRebuilds(
  requests: CustomerRebuildRequests,
  rebuild: RebuildOne,
  opts: { log: Logger; intervalMs?: number },
): { stop(): void } {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = runCustomerRebuilds(requests, rebuild, opts.log)
      // The store is down, most likely: a request left running is run again on a later look.
      .catch((error: unknown) => opts.log.warn({ err: error }, 'customer rebuild requests not served'))
      .finally(() => (running = null));
  }, opts.intervalMs ?? 1_000);
  return {
    stop: () => clearInterval(timer),
  };
}
