import type { Batch, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Db } from 'mongodb';
import { AppError, oneAtATime, type TopicNames } from '@cdp/contracts';
import { renewingProducer, type EventCodec } from '@cdp/kafka';
import type { Logger } from '@cdp/logging';
import { projectedTopics, type ReadModelCollections } from '@cdp/read-models';
import { createParkingLot, type ParkingLot } from './parking-lot';
import type { ReadModelWriter } from './read-model-writer';
import { createReceiptCounter } from './receipt-counter';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  throughOutages as retryThroughOutages,
  type Backoff,
} from './through-outages';
import { isTransient } from './transient-error';

export interface ProgressUpdate {
  topic: string;
  partition: number;
  appliedOffset: number;
  highWatermark: number;
  /** When ingest recorded the last applied event; absent: unchanged (no event was applied). */
  lastRecordedAt?: string | null;
}

export interface ProjectorDeps {
  kafka: Kafka;
  db: Db;
  codec: EventCodec;
  writer: ReadModelWriter;
  /** Records how far each partition is applied; the read API's lag and read-your-writes come from it. */
  progress: (update: ProgressUpdate) => Promise<void>;
  topics: TopicNames;
  groupId: string;
  /** The consumer group's session and rebalance timeouts; kafkajs's (30 s, 60 s) by default. */
  groupTimeouts?: GroupTimeouts;
  log: Logger;
  metrics: {
    applied: (outcome: string) => void;
    lastAppliedAt: (topic: string, partition: number, recordedAtMs: number) => void;
  };
  /** How often one event is tried (or received, across crashes) before its key is parked. */
  maxAttempts?: number;
  /** Strict (rebuilds): nothing is ever parked; an event that cannot be applied stops the projection. */
  strict?: boolean;
  onStrictFailure?: (reason: string) => void;
  /** The consumer stopped for good (kafkajs will not restart it); the owner replaces or abandons it. */
  onCrash?: (error: Error) => void;
  /** The generation's collections: parking state and receipts live beside its read models. */
  collections: ReadModelCollections;
  backoff?: Backoff;
  /** Where the consumer reads on once it runs, instead of where its group stands (`expired-offsets.ts`). */
  startAt?: ReadonlyArray<{ topic: string; partition: number; offset: number }>;
  /** False while this process's writer lease may have lapsed (`HeldLease.writable`): nothing is written. */
  mayWrite?: () => boolean;
}

export interface Projector {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly parkingLot: ParkingLot;
  /** Applies a key's parked events in order; the key flows again when all of them applied. */
  replayParked(
    topic: string,
    key: string,
  ): Promise<{ applied: number; remaining: number; error: string | null }>;
  /** Runs `work` between batches: nothing this projector applies is written meanwhile. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Outcome = { kind: 'applied'; recordedAt: string } | { kind: 'park'; reason: string };

/** What a batch applied: the offset it got to (null: none) and whether it got to its end. */
interface Applied {
  handled: string | null;
  lastRecordedAt: string | null;
  complete: boolean;
}

/**
 * Strict runs (rebuilds) take this many partitions' batches at once into one unit of work: a buyer
 * whose orders sit on several partitions is then written once instead of once per partition.
 */
const PARTITIONS_AT_ONCE = 32;
const REBUILD_FETCH_BYTES = 8 * 1024 * 1024;
const HEARTBEAT_MS = 1_000;
/**
 * A unit of work is written once it holds this many events, however many the fetches brought: it
 * keeps every order and buyer it touched in memory, and a rebuild's 8 MB fetches from up to 32
 * partitions held ~50,000 events in one unit and ran a 512 MB heap out. Smaller units write the same
 * buyers more often: 5,000 halved the rebuild rate at 30,000 events.
 */
const MAX_UNIT_EVENTS = 20_000;

export interface GroupTimeouts {
  sessionMs: number;
  rebalanceMs: number;
}

/**
 * Consumes the domain topics into the read models. Within a partition events apply one by one
 * into the batch's unit of work, written once at the end of the batch; an offset is resolved only
 * after its event is written or parked, so the committed offset never passes an unhandled event.
 * A store outage pauses the partition with backoff and nothing is skipped; an event that cannot
 * decode or keeps failing is parked with its key, and only that key waits. After a restart each
 * partition's first batch is worked carefully: every event is counted at receipt, written and
 * committed on its own, so an event that crashes the process is parked after `maxAttempts` crashes
 * instead of crash-looping forever.
 */
export function createProjector(deps: ProjectorDeps): Projector {
  const { topics, log } = deps;
  const maxAttempts = deps.maxAttempts ?? 5;
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  const consumer: Consumer = deps.kafka.consumer({
    groupId: deps.groupId,
    ...(deps.groupTimeouts && {
      sessionTimeout: deps.groupTimeouts.sessionMs,
      rebalanceTimeout: deps.groupTimeouts.rebalanceMs,
    }),
    readUncommitted: false,
    allowAutoTopicCreation: false,
    // Rebuilds read far behind the end: bigger fetches make bigger units of work. The live one keeps
    // kafkajs's 1 MiB, which bounds its careful first batch after a rebalance (an event past it comes
    // whole once its partition is first in a fetch: later, not never).
    ...(deps.strict && { maxBytesPerPartition: REBUILD_FETCH_BYTES, maxBytes: 4 * REBUILD_FETCH_BYTES }),
    // A stop waits for the fetch in flight: kafkajs's 5 s made every rebuild and shutdown 5 s
    // longer. A fetch answers as soon as there is data, so this only shortens idle waits.
    maxWaitTimeInMs: 1_000,
  });
  const dlq = renewingProducer(deps.kafka, { maxInFlightRequests: 1, allowAutoTopicCreation: false });
  const parkingLot = createParkingLot(deps.db, dlq, topics.deadLetter, deps.collections);
  const receipts = createReceiptCounter(deps.db, deps.collections.receipts);
  const careful = new Set<string>();
  let running = false;

  async function decideAndApply(message: KafkaMessage, topic: string, partition: number): Promise<Outcome> {
    const position = { partition, offset: Number(message.offset) };
    for (let attempt = 1; ; attempt++) {
      try {
        if (!message.value) return { kind: 'park', reason: 'ERR_PROJECTOR_EMPTY: record has no value' };
        const decoded = await deps.codec.decode(message.value);
        if (!decoded.ok) {
          if (decoded.error.retriable) throw decoded.error;
          return { kind: 'park', reason: `${decoded.error.code}: ${decoded.error.message}` };
        }
        deps.writer.apply(decoded.value, position);
        return { kind: 'applied', recordedAt: decoded.value.metadata.recordedAt };
      } catch (error) {
        const transient = isTransient(error);
        if (!running) throw error;
        if (!transient && attempt >= maxAttempts) {
          return {
            kind: 'park',
            reason: `ERR_PROJECTOR_APPLY_FAILED: ${error instanceof Error ? error.message : String(error)}`,
          };
        }
        const delay = backoffDelay(backoff, attempt);
        log.warn(
          { err: error, topic, ...position, attempt, transient, delay },
          'applying an event failed; retrying',
        );
        await sleep(delay);
      }
    }
  }

  /** Retries store work through an outage, with backoff, until it succeeds or the projector stops. */
  const outages = { log, backoff, keepTrying: () => running };
  const throughOutages = <T>(what: string, work: () => Promise<T>) =>
    retryThroughOutages(what, work, outages);

  /** Events applied since the unit of work was last written or discarded. */
  let unitEvents = 0;

  /** The writer's flush, refused (retriably) while another projector may hold the lease. */
  const writeApplied = () =>
    deps.mayWrite && !deps.mayWrite()
      ? Promise.reject(
          new AppError(
            'ERR_PROJECTOR_LEASE_LAPSED',
            'the writer lease was not renewed in time: another projector may be writing',
            true,
          ),
        )
      : deps.writer.flush();

  /** Writes what the batch applied so far, before any of its offsets is resolved or committed. */
  async function flush() {
    try {
      await throughOutages('write read models', writeApplied);
    } catch (error) {
      // A strict run cannot skip what the store refuses, and kafkajs would only restart the
      // consumer on the same batch, forever: the run ends here, with the reason.
      if (deps.strict && running)
        deps.onStrictFailure?.(
          `ERR_PROJECTOR_WRITE_REFUSED: ${error instanceof Error ? error.message : String(error)}`,
        );
      throw error;
    }
    unitEvents = 0;
  }

  function discard() {
    deps.writer.discard();
    unitEvents = 0;
  }

  /** The writer holds one unit of work: batches and parked-key replays take turns with it. */
  const exclusively = oneAtATime();

  /** Applies the batch's events into the unit of work, in order, until it ends or must stop. */
  async function applyBatch(payload: EachBatchPayload): Promise<Applied> {
    const { batch } = payload;
    const partitionId = `${batch.topic}/${batch.partition}`;
    // Strict runs stop at the first failure, so they need no crash-loop accounting.
    const carefully = careful.has(partitionId) && !deps.strict;
    let handled: string | null = null;
    let lastRecordedAt: string | null = null;

    let complete = true;
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) {
        complete = false;
        break;
      }
      const key = message.key?.toString() ?? '';
      let outcome: Outcome;
      if (!deps.strict && parkingLot.isParked(batch.topic, key)) {
        outcome = {
          kind: 'park',
          reason: 'ERR_PROJECTOR_KEY_PARKED: an earlier event of this key is parked',
        };
      } else if (
        carefully &&
        (await throughOutages('count receipt', () =>
          receipts.receive(batch.topic, batch.partition, Number(message.offset)),
        )) > maxAttempts
      ) {
        outcome = {
          kind: 'park',
          reason: `ERR_PROJECTOR_CRASH_LOOP: received ${maxAttempts} times without finishing`,
        };
      } else {
        outcome = await decideAndApply(message, batch.topic, batch.partition);
      }

      if (outcome.kind === 'park') {
        if (deps.strict) {
          const reason = `cannot apply ${batch.topic}/${batch.partition}/${message.offset}: ${outcome.reason}`;
          deps.onStrictFailure?.(reason);
          // Not retriable: kafkajs would otherwise restart the consumer on the same batch.
          throw new AppError('ERR_PROJECTOR_STRICT_FAILED', `strict projection ${reason}`, false);
        }
        log.warn(
          {
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            key,
            reason: outcome.reason,
          },
          'event parked',
        );
        await parkingLot.park({ topic: batch.topic, partition: batch.partition, ...message }, outcome.reason);
        deps.metrics.applied('parked');
      } else {
        deps.metrics.applied('ok');
        deps.metrics.lastAppliedAt(batch.topic, batch.partition, Date.parse(outcome.recordedAt));
        lastRecordedAt = outcome.recordedAt;
        // Offsets still wait for the flush after the batch; this one only bounds the memory.
        if (++unitEvents >= MAX_UNIT_EVENTS) await flush();
      }
      handled = message.offset;
      if (carefully) {
        await flush();
        payload.resolveOffset(handled);
        // Progress before the commit, as after a batch: a committed offset is never past it.
        await recordProgress(batch, handled, lastRecordedAt);
        await consumer.commitOffsets([
          { topic: batch.topic, partition: batch.partition, offset: String(Number(handled) + 1) },
        ]);
      }
      await payload.heartbeat();
    }
    return { handled, lastRecordedAt, complete };
  }

  /** After the batch's events are written: its offsets are resolved and its progress recorded. */
  async function finishBatch(payload: EachBatchPayload, applied: Applied): Promise<void> {
    const { batch } = payload;
    let { handled } = applied;
    const { lastRecordedAt } = applied;
    if (applied.complete) {
      // Past trailing transaction markers too, so a caught-up partition shows no lag.
      handled = batch.lastOffset();
      careful.delete(`${batch.topic}/${batch.partition}`);
    }
    if (handled === null) return;
    payload.resolveOffset(handled);
    await recordProgress(batch, handled, lastRecordedAt);
  }

  /** `lastRecordedAt` absent: no event was applied (only transaction markers), so it stays as it was. */
  function recordProgress(
    batch: Pick<Batch, 'topic' | 'partition' | 'highWatermark'>,
    handled: string,
    lastRecordedAt?: string | null,
  ): Promise<void> {
    const progress = {
      topic: batch.topic,
      partition: batch.partition,
      appliedOffset: Number(handled),
      highWatermark: Number(batch.highWatermark),
      lastRecordedAt,
    };
    return throughOutages('record progress', () => deps.progress(progress));
  }

  /**
   * Runs a batch's work with heartbeats: riding out a store outage (retries with backoff), or waiting
   * for other batches and a group's flush, can outlast the session timeout, and without them the
   * group would drop this consumer and rebalance.
   */
  async function withHeartbeats(payload: EachBatchPayload, work: () => Promise<void>): Promise<void> {
    const beat = setInterval(() => void payload.heartbeat().catch(() => undefined), HEARTBEAT_MS);
    try {
      await work();
    } finally {
      clearInterval(beat);
    }
  }

  /** Heartbeats run while the batch waits for its turn too: a customer rebuild may hold it a while. */
  function handleBatch(payload: EachBatchPayload): Promise<void> {
    return withHeartbeats(payload, () =>
      exclusively(async () => {
        // What a failed batch applied is dropped: it is redelivered whole.
        discard();
        const applied = await applyBatch(payload);
        await flush();
        await finishBatch(payload, applied);
      }),
    );
  }

  // Grouped (strict) runs: batches apply in turn; each then needs one flush that began after its
  // apply, and a flush writes everything applied before it. Any failure ends a strict run; a batch
  // that failed never resolves its offsets, so what of it another batch's flush wrote is applied
  // again (idempotently) when the run resumes.
  let appliedCount = 0;
  let flushedCount = 0;
  async function handleGroupedBatch(payload: EachBatchPayload): Promise<void> {
    await withHeartbeats(payload, async () => {
      const { applied, seq } = await exclusively(async () => ({
        applied: await applyBatch(payload),
        seq: ++appliedCount,
      }));
      await exclusively(async () => {
        if (flushedCount >= seq) return;
        const upTo = appliedCount;
        await flush();
        flushedCount = upTo;
      });
      await finishBatch(payload, applied);
    });
  }

  return {
    parkingLot,
    exclusive: exclusively,
    replayParked: (topic, key) =>
      exclusively(async () => {
        const parked = await parkingLot.take(topic, key);
        const applied: typeof parked = [];
        let error: string | null = null;
        for (const event of parked) {
          const decoded = event.value ? await deps.codec.decode(Buffer.from(event.value.buffer)) : null;
          if (!decoded?.ok) {
            error = decoded
              ? `${decoded.error.code}: ${decoded.error.message}`
              : 'ERR_PROJECTOR_EMPTY: record has no value';
            break;
          }
          try {
            discard();
            deps.writer.apply(decoded.value, { partition: event.partition, offset: event.offset });
            await writeApplied();
          } catch (cause) {
            error = `ERR_PROJECTOR_APPLY_FAILED: ${cause instanceof Error ? cause.message : String(cause)}`;
            break;
          }
          applied.push(event);
        }
        await parkingLot.release(topic, key, applied);
        return { applied: applied.length, remaining: parked.length - applied.length, error };
      }),
    async start() {
      running = true;
      await parkingLot.load();
      await dlq.connect();
      await consumer.connect();
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!running) return;
        if (payload.restart)
          log.warn({ err: payload.error }, 'the consumer failed and restarts; its batch is applied again');
        else deps.onCrash?.(payload.error);
      });
      // kafkajs resolves and commits a batch of only transaction markers or aborted records itself,
      // without eachBatch: its progress is recorded here, in turn with the batches, or the
      // partition would look behind its log end (and its offset committed past its progress).
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.batchSize > 0) return;
        void exclusively(() => recordProgress(payload, payload.lastOffset)).catch((error: unknown) =>
          log.warn(
            { err: error, topic: payload.topic, partition: payload.partition },
            'progress not recorded',
          ),
        );
      });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
          for (const partition of partitions) careful.add(`${topic}/${partition}`);
        }
      });
      await consumer.subscribe({
        topics: projectedTopics(topics),
        fromBeginning: true,
      });
      await consumer.run({
        eachBatchAutoResolve: false,
        ...(deps.strict
          ? { partitionsConsumedConcurrently: PARTITIONS_AT_ONCE, eachBatch: handleGroupedBatch }
          : { eachBatch: handleBatch }),
      });
      // Taken at the first fetch of each partition, before anything is read from it (and committed).
      for (const { topic, partition, offset } of deps.startAt ?? [])
        consumer.seek({ topic, partition, offset: String(offset) });
    },
    async stop() {
      running = false;
      await consumer.disconnect();
      await dlq.disconnect();
    },
  };
}
