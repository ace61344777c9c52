import { AppError } from '@cdp/contracts';
import { rawLogBehind } from './raw-log-behind';
import type { RawLogMark } from './raw-log-marks';

/** What the decider does with a raw partition it takes over. */
export type TakeoverPlan =
  /** Refused; `keep`: the refusal is to be kept in the mark (it is not yet). */
  | { kind: 'refuse'; error: AppError; keep: boolean }
  /** Read on from the group's offset (null: from the start); `keepPrint`: the first record's print to keep. */
  | { kind: 'read'; from: bigint | null; keepPrint: string | null }
  /** The group's offsets expired: read on from the mark, set as the group's offset. */
  | { kind: 'jump'; to: bigint };

/**
 * Decides a takeover from what Kafka and the store say of the partition: the group's committed
 * offset, the log's end, the mark, and the print of the first record fetched when read from the
 * start (the group having no offset), else null.
 */
export function planTakeover(
  where: { topic: string; partition: number },
  seen: { committed: bigint | null; logEnd: bigint; mark: RawLogMark | null; print: string | null },
): TakeoverPlan {
  const { committed, logEnd, mark, print } = seen;
  if (mark?.refused)
    return {
      kind: 'refuse',
      error: new AppError(
        'ERR_INGEST_RAW_LOG_BEHIND',
        `${mark.refused} (kept: cleared by hand once Kafka's data is whole again, README)`,
        false,
      ),
      keep: false,
    };
  const marked = mark?.through ?? null;
  const highest = marked !== null && (committed === null || marked > committed) ? marked : committed;
  const behind = rawLogBehind(where, highest, { logEnd });
  if (behind) return { kind: 'refuse', error: behind, keep: true };
  if (print === null) return { kind: 'read', from: committed, keepPrint: null };
  const otherLog =
    mark?.first != null && mark.first !== print && rawLogBehind(where, marked, { otherFirst: true });
  if (otherLog) return { kind: 'refuse', error: otherLog, keep: true };
  // Unchecked: a mark from before prints were kept, or a print taken before any commit (the topic
  // may have been made again since). Kept now; the log is read from its start.
  if (mark?.first == null || marked === null) return { kind: 'read', from: committed, keepPrint: print };
  return { kind: 'jump', to: marked };
}
