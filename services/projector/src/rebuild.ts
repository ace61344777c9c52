import type { Admin } from 'kafkajs';
import type { Logger } from '@cdp/logging';
import {
  forgetRebuild,
  pendingRebuild,
  pendingRebuildOf,
  progressCollection,
  projectedTopics,
  startRebuild,
  switchGeneration,
} from '@cdp/read-models';
import { createRebuildProjector, generationGroupId, type GenerationDeps } from './generation-projector';
import { captureTargets, measure, type ProgressReport } from './replay-progress';
import { dropGeneration, dropRetiredGenerations } from './retired-generations';
import { DEFAULT_BACKOFF, throughOutages } from './through-outages';
import { isTransient } from './transient-error';

/** How many times a rebuild goes after events that arrived while it ran, before it switches anyway. */
const MAX_CHASES = 5;

export interface RebuildOptions {
  /** Start the new generation at this time instead of offset 0. */
  from?: string;
  switchWhenDone: boolean;
  /** Start over even if an earlier rebuild is pending (otherwise it is resumed). */
  restart: boolean;
  /** Awaited before the rebuild looks at the log's end again. */
  onProgress?: (report: ProgressReport, eventsPerSecond: number) => void | Promise<void>;
  /** Resolves to stop early (Ctrl-C); the rebuild can be resumed later. */
  cancelled?: Promise<void>;
  pollMs?: number;
}

export type RebuildResult =
  | { status: 'switched' | 'built'; suffix: string; events: number; seconds: number }
  | { status: 'paused'; suffix: string }
  | { status: 'failed'; suffix: string; reason: string };

/**
 * Writes the buyers a rebuild kept, riding out a store outage with backoff as the projector does:
 * a write the store refuses fails the rebuild, and a stop (Ctrl-C, the lease lost) pauses it
 * between writes; a resumed rebuild settles again, from the orders.
 */
async function settleThroughOutages(
  settle: (stopped: () => boolean) => Promise<{ buyers: number; fromOrders: boolean; settled: boolean }>,
  log: Logger,
  stopped: () => boolean,
): Promise<
  | { status: 'settled'; buyers: number; fromOrders: boolean }
  | { status: 'failed'; reason: string }
  | { status: 'paused' }
> {
  try {
    const outcome = await throughOutages("write the buyers' totals", () => settle(stopped), {
      log,
      backoff: DEFAULT_BACKOFF,
      keepTrying: () => !stopped(),
    });
    // Stopped at the end of it still pauses: the switch waits for a run nobody stopped.
    return outcome.settled && !stopped() ? { status: 'settled', ...outcome } : { status: 'paused' };
  } catch (error) {
    // An outage is only given up when stopped.
    if (isTransient(error)) return { status: 'paused' };
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'failed', reason: `ERR_PROJECTOR_WRITE_REFUSED: ${message}` };
  }
}

const sameStart = (recorded: string | null | undefined, asked: string) =>
  typeof recorded === 'string' && Date.parse(recorded) === Date.parse(asked);

/** Where a pending rebuild started, as its record says (an earlier version's record does not say). */
const howStarted = (from: string | null | undefined) =>
  typeof from === 'string'
    ? `started at ${from}`
    : from === null
      ? 'started at offset 0'
      : 'was started by an earlier version (maybe with --from)';

/**
 * Rebuilds every read model into a new generation of collections while the live one keeps serving,
 * strictly (an event that cannot be applied fails the rebuild; nothing is skipped), catches up with
 * what arrived meanwhile, writes the buyers' entries and totals it kept (after a resumed run, derived
 * from the orders), then switches the generation pointer. Its consumer group remembers how
 * far it got, so a stopped rebuild resumes.
 */
export async function rebuild(
  deps: GenerationDeps & { admin: Admin },
  opts: RebuildOptions,
): Promise<RebuildResult> {
  const { topics, admin, db } = deps;
  const pending = opts.restart ? null : await pendingRebuildOf(db);
  const suffix = pending?.suffix ?? `_g${Date.now()}`;
  // A generation built from a time lacks what came before: resumed, it is still not to be served.
  if (pending && pending.from !== null && opts.switchWhenDone)
    return {
      status: 'failed',
      suffix,
      reason: `ERR_REPLAY_PARTIAL: the pending rebuild ${howStarted(pending.from)} and must not be served: resume it with --no-switch, or start over (--restart) or drop it (--cancel)`,
    };
  // A resumed rebuild keeps the start it recorded: another one asked for is refused, not dropped.
  if (pending && opts.from !== undefined && !sameStart(pending.from, opts.from))
    return {
      status: 'failed',
      suffix,
      reason: `ERR_REPLAY_FROM_MISMATCH: the pending rebuild ${howStarted(pending.from)}: resume it without --from, or start over from ${opts.from} (--restart)`,
    };
  const from = pending ? undefined : (opts.from ?? null);
  await startRebuild(db, suffix, from);
  const dropped = await dropRetiredGenerations(deps);
  if (dropped.length > 0) deps.log.info({ dropped }, 'dropped retired read-model generations');
  const groupId = generationGroupId(deps.topicPrefix, suffix);
  const domainTopics = projectedTopics(topics);
  let targets = await captureTargets(admin, domainTopics);

  const startOffsets = new Map<string, number>();
  /** Positions the group on `topic`'s partitions (all, or `only`) at the first event from `at`. */
  const startAt = async (topic: string, at: number, only?: Set<number>) => {
    const offsets = (await admin.fetchTopicOffsetsByTimestamp(topic, at)).filter(
      ({ partition }) => !only || only.has(partition),
    );
    if (offsets.length === 0) return;
    await admin.setOffsets({
      groupId,
      topic,
      partitions: offsets.map(({ partition, offset }) => ({ partition, offset })),
    });
    for (const { partition, offset } of offsets) startOffsets.set(`${topic}/${partition}`, Number(offset));
  };
  if (from) for (const topic of domainTopics) await startAt(topic, Date.parse(from));
  else if (pending && pending.from !== null)
    // Resumed from a time: partitions with nothing after it never get a progress document, so where
    // the group stands is where each counts from. One it does not stand on (a run stopped before
    // positioning it, or a group idle past Kafka's offset retention) is positioned again at that
    // time: the consumer would read it from offset 0.
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics: domainTopics })) {
      const unpositioned = new Set<number>();
      for (const { partition, offset } of partitions)
        if (Number(offset) >= 0) startOffsets.set(`${topic}/${partition}`, Number(offset));
        else unpositioned.add(partition);
      if (unpositioned.size > 0 && typeof pending.from === 'string')
        await startAt(topic, Date.parse(pending.from), unpositioned);
    }

  let failure: string | null = null;
  const { projector, settleBuyers } = await createRebuildProjector(deps, suffix, {
    onStrictFailure: (reason) => {
      failure = reason;
    },
    onCrash: (error) => {
      failure ??= `the rebuild's consumer stopped: ${error.message}`;
    },
  });
  const started = Date.now();
  await projector.start();
  const progress = progressCollection(db, suffix);
  let stopped = false;
  void opts.cancelled?.then(() => {
    stopped = true;
  });

  let last = { at: Date.now(), done: 0 };
  let rate = 0;
  let report: ProgressReport = { done: 0, total: 0, complete: false };
  let built = false;
  let builtAt = 0;
  let chases = 0;
  // The consumer stops however the loop ends (an onProgress that throws included).
  try {
    while (!stopped && failure === null) {
      const applied = new Map((await progress.find({}).toArray()).map((d) => [d._id, d.appliedOffset]));
      report = measure(targets, applied, startOffsets);
      const now = Date.now();
      if (now > last.at) rate = 0.7 * rate + (0.3 * (report.done - last.done) * 1000) / (now - last.at);
      last = { at: now, done: report.done };
      await opts.onProgress?.(report, rate);
      if (report.complete) {
        // Caught up with the log as it ended at the start, but events went on arriving: chase the
        // log's end again, so the switch serves no stale generation. Each chase is shorter than the
        // one before; under steady traffic some always arrive, so after a few the live projector,
        // which goes on from where the rebuild stops, takes the rest.
        targets = await captureTargets(admin, domainTopics);
        report = measure(targets, applied, startOffsets);
        if (!report.complete && chases++ < MAX_CHASES) continue;
        // Built: stopping the consumer afterwards (up to a fetch wait) is not part of the rebuild.
        built = true;
        builtAt = now;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 500));
    }
  } finally {
    await projector.stop();
  }

  if (failure !== null) return { status: 'failed', suffix, reason: failure };
  if (!built) return { status: 'paused', suffix };
  const settling = Date.now();
  const settled = await settleThroughOutages(settleBuyers, deps.log, () => stopped);
  if (settled.status !== 'settled') return { ...settled, suffix };
  const settleSeconds = (Date.now() - settling) / 1000;
  deps.log.info(
    { buyers: settled.buyers, fromOrders: settled.fromOrders, seconds: settleSeconds },
    settled.fromOrders
      ? "resumed rebuild: every buyer's entries and totals derived from the orders"
      : "buyers' entries and totals written",
  );
  const seconds = (builtAt - started) / 1000 + settleSeconds;
  if (!opts.switchWhenDone) return { status: 'built', suffix, events: report.done, seconds };
  await switchGeneration(db, suffix);
  return { status: 'switched', suffix, events: report.done, seconds };
}

/** Drops a pending rebuild's collections and consumer group. */
export async function cancelRebuild(deps: GenerationDeps & { admin: Admin }): Promise<string | null> {
  const suffix = await pendingRebuild(deps.db);
  if (suffix === null) return null;
  await dropGeneration(deps, suffix);
  await forgetRebuild(deps.db);
  return suffix;
}
