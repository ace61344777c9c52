import { periodicRead } from './periodic-read';
import type { LogEnds } from './projection-progress';

/** The one admin call the watch makes (kafkajs's `Admin` has it). */
export interface OffsetsAdmin {
  fetchTopicOffsets(topic: string): Promise<Array<{ partition: number; high: string }>>;
}

/** A log end as first seen: the events before `end` were in the log by `atMs`. */
interface Sighting {
  end: number;
  atMs: number;
}

/** Per partition, how many growths of its log end are remembered (minutes, on a busy shop). */
const KEPT_SIGHTINGS = 600;

/**
 * Reads where each partition's log ends every `intervalMs`, remembering when each new end was
 * first seen, so that events the projector has not fetched yet show how long they have waited
 * (to within the interval; events already waiting when the watch began count from then).
 */
export function watchLogEnds(
  admin: OffsetsAdmin,
  topics: readonly string[],
  /** `intervalMs` null: read only when `refresh` is called. */
  opts: {
    intervalMs?: number | null;
    now?: () => number;
    onError?: (error: unknown) => void;
    /** A log end seen lower than before: the topic was made again, or Kafka lost its data. */
    onShrink?: (partitionId: string, from: number, to: number) => void;
  } = {},
): LogEnds & { refresh(): Promise<void>; stop(): void } {
  const now = opts.now ?? Date.now;
  const intervalMs = opts.intervalMs === undefined ? 1_000 : opts.intervalMs;
  const sightings = new Map<string, Sighting[]>();

  async function read() {
    const atMs = now();
    for (const topic of topics) {
      for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
        const id = `${topic}/${partition}`;
        let seen = sightings.get(id) ?? [];
        const end = Number(high);
        const last = seen.at(-1)?.end ?? -1;
        if (end < last) {
          // The old log's ends say nothing of the new one's events.
          seen = [];
          opts.onShrink?.(id, last, end);
        }
        if (end > (seen.at(-1)?.end ?? -1)) {
          seen.push({ end, atMs });
          if (seen.length > KEPT_SIGHTINGS) seen.shift();
        }
        sightings.set(id, seen);
      }
    }
  }
  const { refresh, stop } = periodicRead(read, intervalMs, opts.onError);

  return {
    refresh,
    stop,
    partitionIds: () => sightings.keys(),
    viewOf(partitionId, appliedOffset) {
      const seen = sightings.get(partitionId);
      const latest = seen?.at(-1);
      if (!seen || !latest) return undefined;
      // The first unapplied event (appliedOffset + 1) was in the log once the end passed it.
      let first = latest;
      for (let i = seen.length - 1; i >= 0; i--) {
        const sighting = seen[i] as Sighting;
        if (sighting.end <= appliedOffset + 1) break;
        first = sighting;
      }
      return { end: latest.end, waitingSinceMs: latest.end > appliedOffset + 1 ? first.atMs : now() };
    },
  };
}
