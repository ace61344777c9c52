import { watchLogEnds, type OffsetsAdmin } from './log-end-watch';
import { periodicRead } from './periodic-read';
import type { LogEnds } from './projection-progress';

/** The admin calls the watch makes (kafkajs's `Admin` has them). */
export interface GroupOffsetsAdmin extends OffsetsAdmin {
  fetchOffsets(opts: {
    groupId: string;
    topics: string[];
  }): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>;
}

/** How long what ingest accepted has waited to become events; 0 when the decider is caught up. */
export interface DeciderLag {
  lagMs(now?: number): number;
  /** Reads Kafka again, a read begun after the call (one at a time): a wait cannot take an older answer. */
  refresh(): Promise<void>;
  /** Where each raw partition ended at the last read; null before the first. */
  rawEnds(): ReadonlyMap<number, number> | null;
  /** Whether the decider has committed every raw partition up to `ends`. */
  passed(ends: ReadonlyMap<number, number>): boolean;
}

/**
 * The decider's lag over the raw topic's partitions: a partition whose log ends past the group's
 * committed offset has waited since the end was first seen past it. A partition the group never
 * committed (offset -1) has all its records waiting.
 */
export function deciderLagMs(
  rawTopic: string,
  committed: ReadonlyMap<number, number>,
  logEnds: LogEnds,
  now: number,
): number {
  let lag = 0;
  for (const [partition, offset] of committed) {
    const next = Math.max(0, offset);
    const view = logEnds.viewOf(`${rawTopic}/${partition}`, next - 1);
    if (view && view.end > next) lag = Math.max(lag, now - view.waitingSinceMs);
  }
  return lag;
}

/**
 * Watches where the raw topic ends and where the decider's group has committed, every
 * `intervalMs`. Until both were read once the lag is 0, as it was before anything was watched.
 */
export function watchDecider(
  admin: GroupOffsetsAdmin,
  opts: {
    groupId: string;
    rawTopic: string;
    intervalMs?: number;
    now?: () => number;
    onError?: (error: unknown) => void;
  },
): DeciderLag & { stop(): void } {
  const now = opts.now ?? Date.now;
  const ends = watchLogEnds(admin, [opts.rawTopic], { now, intervalMs: null });
  /** Per raw partition (all of them, as Kafka lists them), the group's committed offset. */
  let committed: Map<number, number> | null = null;

  async function read() {
    // The commits first, then the ends, taken together only once both are read: a pair read in
    // the other order, or half of it stale, could show records the decider had committed as waiting.
    const [group] = await admin.fetchOffsets({ groupId: opts.groupId, topics: [opts.rawTopic] });
    await ends.refresh();
    committed = new Map((group?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  }
  const { refresh, stop } = periodicRead(read, opts.intervalMs ?? 1_000, opts.onError);

  return {
    refresh,
    stop: () => {
      stop();
      ends.stop();
    },
    lagMs: (at = now()) => (committed === null ? 0 : deciderLagMs(opts.rawTopic, committed, ends, at)),
    rawEnds: () =>
      committed === null
        ? null
        : new Map([...committed.keys()].map((p) => [p, ends.viewOf(`${opts.rawTopic}/${p}`, -1)?.end ?? 0])),
    passed: (barrier) =>
      committed !== null && [...barrier].every(([p, end]) => Math.max(0, committed?.get(p) ?? -1) >= end),
  };
}
