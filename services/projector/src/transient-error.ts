import { isRetriable } from '@cdp/contracts';

const TRANSIENT_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/**
 * Errors that say "the store (or registry) is unreachable right now": the projector waits and
 * tries the same event again, forever, rather than skipping it. Anything else is about the event.
 */
export function isTransient(error: unknown): boolean {
  if (isRetriable(error)) return true;
  if (!(error instanceof Error)) return false;
  if (TRANSIENT_NAMES.has(error.name)) return true;
  const labels = (error as { errorLabels?: unknown }).errorLabels;
  return error.name.startsWith('Mongo') && labels instanceof Set && labels.has('TransientTransactionError');
}
