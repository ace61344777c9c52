import { AppError } from '@cdp/contracts';

/**
 * The broker's answer to an older producer epoch, as kafkajs names it. A broker answers the request
 * versions kafkajs sends with it; PRODUCER_FENCED (90), which newer versions get, kafkajs does not
 * know, and names only in its message.
 */
const FENCED_TYPE = 'INVALID_PRODUCER_EPOCH';
const PRODUCER_FENCED_MESSAGE = 'Unknown error code 90';

/** Whether a transaction failed because a newer producer with its transactional id took over. */
export function isFenced(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { type, message, cause, originalError } = e as {
      type?: unknown;
      message?: unknown;
      cause?: unknown;
      originalError?: unknown;
    };
    if (type === FENCED_TYPE || message === PRODUCER_FENCED_MESSAGE) return true;
    e = originalError ?? cause;
  }
  return false;
}

const fencedError = (partition: number) =>
  new AppError(
    'ERR_DECIDER_FENCED',
    `raw partition ${partition}'s transactions were taken over; waiting for the group to say who owns it`,
    true,
  );

/**
 * Raw partitions whose transactional producer was fenced, until the group next assigns them. The
 * fence means another instance may own the partition now (this one was dropped from the group and
 * not told yet): a new producer would fence that owner back, and deciding on would write states
 * beside it. Only a rejoin says who owns it; kafkajs rejoins once its retries of the failing
 * partition run out (about 20 s), or sooner when a heartbeat learns of a rebalance. A producer
 * fenced by a transaction the broker timed out, the owner still, waits for that rejoin too.
 */
export function createFencedPartitions() {
  let joins = 0;
  const fencedIn = new Map<number, number>();
  return {
    /** The group (re)assigned this instance's partitions. */
    joined(): void {
      joins += 1;
      fencedIn.clear();
    },
    /**
     * The error to throw for it: retriable, so kafkajs retries the partition, then restarts the
     * consumer, which rejoins. The broker's answer is not its cause: kafkajs reads the deepest
     * cause, and that one, non-retriable, would stop the consumer for good.
     */
    fenced(partition: number): AppError {
      fencedIn.set(partition, joins);
      return fencedError(partition);
    },
    /** Throws while `partition` waits for a rejoin. */
    check(partition: number): void {
      if (fencedIn.get(partition) === joins) throw fencedError(partition);
    },
  };
}
