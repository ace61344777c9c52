import { isRetriable } from '@cdp/contracts';

const TRANSIENT_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  // An operation that had picked a server the driver then closed (the store restarted under it).
  'MongoServerClosedError',
]);

/** Labels the driver puts on errors that another attempt, on a fresh connection, may not meet. */
const TRANSIENT_LABELS = ['TransientTransactionError', 'RetryableWriteError', 'ResetPool'];

/**
 * Errors that say "the store (or registry) is unreachable right now": the projector waits and
 * tries the same event again, forever, rather than skipping it. Anything else is about the event.
 */
export function isTransient(error: unknown): boolean {
  if (isRetriable(error)) return true;
  if (!(error instanceof Error)) return false;
  if (TRANSIENT_NAMES.has(error.name)) return true;
  const hasLabel = (error as { hasErrorLabel?: unknown }).hasErrorLabel;
  return (
    typeof hasLabel === 'function' && TRANSIENT_LABELS.some((label) => hasLabel.call(error, label) === true)
  );
}
