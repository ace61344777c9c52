import type { Admin } from 'kafkajs';

/** Raw records the decider has not committed, per partition (a trailing transaction marker counts as one). */
export type RawLag = ReadonlyMap<number, number>;

export interface DeciderProgress {
  /** Records behind over all raw partitions, null until first read. */
  lag: number | null;
  /** Some partition is more than a trailing marker behind. */
  behind: boolean;
  /** When the decider was last seen caught up or moving. */
  movedAt: number;
  committed: ReadonlyMap<number, number>;
}

/**
 * The next view of the decider from one look at the raw log's ends and its committed offsets. A
 * partition one record behind may be a trailing transaction marker (the decider re-publishes
 * embedded customers in its transactions), so only more than one counts as behind.
 */
export function nextProgress(
  prev: DeciderProgress,
  ends: ReadonlyMap<number, number>,
  committed: ReadonlyMap<number, number>,
  now: number,
): DeciderProgress {
  let lag = 0;
  let behind = false;
  let moved = false;
  for (const [partition, end] of ends) {
    const at = Math.max(0, committed.get(partition) ?? 0);
    lag += Math.max(0, end - at);
    if (end - at > 1) behind = true;
    if (at > (prev.committed.get(partition) ?? 0)) moved = true;
  }
  return { lag, behind, movedAt: !behind || moved ? now : prev.movedAt, committed };
}

export const stalled = (progress: DeciderProgress, now: number, stallMs: number): boolean =>
  progress.behind && now - progress.movedAt > stallMs;

export interface DeciderProgressWatch {
  /** False once raw records have waited `stallMs` with the decider not moving: `/readyz` says so. */
  moving(): boolean;
  stop(): void;
}

/**
 * Watches the decider from outside, through Kafka: a decider that keeps failing on a record
 * (kafkajs restarts it, so it never looks stopped) shows as raw records waiting with no progress.
 */
export function watchDeciderProgress(
  admin: Admin,
  opts: {
    groupId: string;
    rawTopic: string;
    onLag: (records: number) => void;
    onError: (error: unknown) => void;
    intervalMs?: number;
    stallMs?: number;
  },
): DeciderProgressWatch {
  const stallMs = opts.stallMs ?? 60_000;
  let progress: DeciderProgress = { lag: null, behind: false, movedAt: Date.now(), committed: new Map() };
  const look = async () => {
    const [ends, [group]] = await Promise.all([
      admin.fetchTopicOffsets(opts.rawTopic),
      admin.fetchOffsets({ groupId: opts.groupId, topics: [opts.rawTopic] }),
    ]);
    progress = nextProgress(
      progress,
      new Map(ends.map((e) => [e.partition, Number(e.high)])),
      new Map((group?.partitions ?? []).map((p) => [p.partition, Number(p.offset)])),
      Date.now(),
    );
    opts.onLag(progress.lag ?? 0);
  };
  const timer = setInterval(() => void look().catch(opts.onError), opts.intervalMs ?? 5_000);
  timer.unref();
  void look().catch(opts.onError);
  return {
    moving: () => !stalled(progress, Date.now(), stallMs),
    stop: () => clearInterval(timer),
  };
}
