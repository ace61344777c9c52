import type { Admin } from 'kafkajs';

export interface Target {
  topic: string;
  partition: number;
  end: number;
}

/** Where each partition's log ends now: a rebuild is complete once it has applied up to there. */
export async function captureTargets(admin: Admin, topics: readonly string[]): Promise<Target[]> {
  const targets: Target[] = [];
  for (const topic of topics) {
    for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
      targets.push({ topic, partition, end: Number(high) });
    }
  }
  return targets;
}

export interface ProgressReport {
  done: number;
  total: number;
  complete: boolean;
}

/** Compares applied offsets with the targets; partitions that were empty count as done. */
export function measure(
  targets: Target[],
  applied: Map<string, number>,
  startOffsets: Map<string, number>,
): ProgressReport {
  let done = 0;
  let total = 0;
  let complete = true;
  for (const t of targets) {
    const id = `${t.topic}/${t.partition}`;
    const start = startOffsets.get(id) ?? 0;
    const reached = Math.min(t.end, (applied.get(id) ?? start - 1) + 1);
    total += Math.max(0, t.end - start);
    done += Math.max(0, reached - start);
    if (reached < t.end) complete = false;
  }
  return { done, total, complete };
}

/** `[#####-----] 52% 10400/20000 events · 3120 ev/s · ETA 3s` */
export function progressLine(report: ProgressReport, eventsPerSecond: number): string {
  const ratio = report.total === 0 ? 1 : report.done / report.total;
  const width = 30;
  const filled = Math.round(ratio * width);
  // Below one event per second the rate says nothing useful about the remaining time.
  const eta = eventsPerSecond >= 1 ? Math.ceil((report.total - report.done) / eventsPerSecond) : null;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(ratio * 100)}% ${report.done}/${report.total} events · ${Math.round(eventsPerSecond)} ev/s · ETA ${eta === null ? '?' : `${eta}s`}`;
}
