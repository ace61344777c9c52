import type { Admin } from 'kafkajs';

/**
 * Raw records the decider's group has not committed, summed over the raw partitions. The decider
 * commits past the transaction markers its re-published records leave; only an aborted transaction
 * at a partition's end counts (as its records and marker) until the next record there is decided.
 */
export function rawLag(ends: ReadonlyMap<number, number>, committed: ReadonlyMap<number, number>): number {
  let lag = 0;
  for (const [partition, end] of ends) lag += Math.max(0, end - Math.max(0, committed.get(partition) ?? 0));
  return lag;
}

/** Reads how far the decider trails the raw log every `intervalMs`, for the lag gauge. */
export function watchDeciderLag(
  admin: Admin,
  opts: {
    groupId: string;
    rawTopic: string;
    onLag: (records: number) => void;
    onError: (error: unknown) => void;
    intervalMs?: number;
  },
): { stop(): void } {
  const look = async () => {
    const [ends, [group]] = await Promise.all([
      admin.fetchTopicOffsets(opts.rawTopic),
      admin.fetchOffsets({ groupId: opts.groupId, topics: [opts.rawTopic] }),
    ]);
    opts.onLag(
      rawLag(
        new Map(ends.map((e) => [e.partition, Number(e.high)])),
        new Map((group?.partitions ?? []).map((p) => [p.partition, Number(p.offset)])),
      ),
    );
  };
  const timer = setInterval(() => void look().catch(opts.onError), opts.intervalMs ?? 5_000);
  timer.unref();
  void look().catch(opts.onError);
  return { stop: () => clearInterval(timer) };
}
