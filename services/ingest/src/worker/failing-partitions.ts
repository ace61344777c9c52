/**
 * Per partition, since when every try of its next record has failed. A success clears only its own
 * partition: kafkajs retries the failing record forever while other partitions go on flowing.
 */
export function createFailingPartitions() {
  const since = new Map<number, number>();
  return {
    failed(partition: number, now: number): void {
      if (!since.has(partition)) since.set(partition, now);
    },
    succeeded(partition: number): void {
      since.delete(partition);
    },
    /** After a rebalance: a partition given to another instance is no longer this one's to report. */
    keepOnly(assigned: readonly number[]): void {
      for (const partition of since.keys()) if (!assigned.includes(partition)) since.delete(partition);
    },
    /** How long the longest-failing partition has failed; 0 when none is. */
    longestMs(now: number): number {
      return since.size === 0 ? 0 : now - Math.min(...since.values());
    },
  };
}
export type FailingPartitions = ReturnType<typeof createFailingPartitions>;
