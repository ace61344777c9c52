/** An append waiting in the raw log's queue: `sent` of its records are durable already. */
export interface Queued<R> {
  records: readonly R[];
  sent: number;
}

export interface SendLimits {
  records: number;
  /** Kept well below the broker's per-partition batch limit (`max.message.bytes`, 1 MB by default). */
  bytes: number;
}

/** Records `from`..`to` (exclusive) of one queued append. */
export interface Slice<Q> {
  queued: Q;
  from: number;
  to: number;
}

/**
 * The next send of a group commit: the queued records from the front, in order, within both
 * limits, an append split across sends where it does not fit. Always at least one record, so a
 * record larger than the limit goes alone.
 */
export function nextSend<R, Q extends Queued<R>>(
  queue: readonly Q[],
  limits: SendLimits,
  sizeOf: (record: R) => number,
): Slice<Q>[] {
  const slices: Slice<Q>[] = [];
  let records = 0;
  let bytes = 0;
  for (const queued of queue) {
    let to = queued.sent;
    while (to < queued.records.length) {
      const size = sizeOf(queued.records[to] as R);
      if (records > 0 && (records + 1 > limits.records || bytes + size > limits.bytes)) break;
      records += 1;
      bytes += size;
      to += 1;
    }
    if (to > queued.sent) slices.push({ queued, from: queued.sent, to });
    if (to < queued.records.length) break;
  }
  return slices;
}
