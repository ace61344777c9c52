import type { Admin, Consumer, Kafka, KafkaMessage, Message, Producer, RecordMetadata } from 'kafkajs';
import type { CommandStore } from '@cdp/commands';
import {
  AppError,
  err,
  eventCatalog,
  eventKey,
  ok,
  type DomainEvent,
  type Result,
  type TopicNames,
} from '@cdp/contracts';
import { MAX_RECORD_BYTES, type EventCodec } from '@cdp/kafka';
import type { Logger } from '@cdp/logging';
import { aggregateKey, aggregateOf, type AggregateKind } from '../deciding/aggregate-key';
import { decide } from '../deciding/decide';
import type { Decision, Observation } from '../deciding/observation';
import { fromKafkaMessage, toKafkaMessage, type RawRecord } from '../webhook/raw-record';
import { lastSentPosition, partitionEndPosition } from './command-position';
import { createFailingPartitions, type FailingPartitions } from './failing-partitions';
import { createFencedPartitions, isFenced } from './fenced-partitions';
import { observeRaw } from './observe-raw';
import { firstRecordPrint } from './first-record-print';
import { rawLogBehind } from './raw-log-behind';
import type { RawLogMarks } from './raw-log-marks';
import { planTakeover } from './takeover-plan';
import { retryConcurrentTransactions } from './retry-concurrent-transactions';
import {
  createTransactionChunk,
  defaultChunkLimits,
  runsOf,
  type TransactionChunk,
} from './transaction-chunk';
import type { StateStore, StoredState } from './state-store';

export interface DeciderDeps {
  kafka: Kafka;
  /** Connected: finds where a push's aggregate's partition ends. */
  admin: Admin;
  codec: EventCodec;
  states: StateStore;
  /** How far its partitions were committed, checked against the raw log at each takeover. */
  marks: RawLogMarks;
  /** Where pushes' changes landed, for read-your-writes after a push. */
  commands: Pick<CommandStore, 'recordPosition'>;
  topics: TopicNames;
  groupId: string;
  log: Logger;
  metrics: { decided: (outcome: string, count?: number) => void };
  /** Where its partitions' failures are kept: given, they outlive this decider (see superviseDecider). */
  failing?: FailingPartitions;
  /** Called when kafkajs stopped its consumer for good. */
  onCrash?: (error: Error) => void;
}

/** The aggregate a raw record is about, and the key its events are written under. */
interface Aggregate {
  kind: AggregateKind;
  eventKey: string;
}

interface Encoded {
  topic: string;
  message: Message;
}

/** What a raw record gives: events to write, raw records to re-publish, or why it is parked. */
interface Outcome {
  events: Encoded[];
  extra: RawRecord[];
  dead: string | null;
  aggregate?: Aggregate;
}

/** One fetched batch of one raw partition, as kafkajs hands it over. */
interface BatchContext {
  partition: number;
  /** Tells kafkajs a committed record's offset: after a later failure it reads on from there. */
  resolveOffset: (offset: string) => void;
  /** The batch's last record, and the last offset it covers: past it, transaction markers only. */
  lastRecord: string | undefined;
  end: string;
}

/** A raw record decided, and its outcome, waiting for its chunk's transaction. */
interface Decided {
  raw: RawRecord | null;
  outcome: Outcome;
}

type Chunk = TransactionChunk<Decided, StoredState>;

/** What a raw record is about: records about one aggregate never share a transaction. */
interface Observed {
  extra: RawRecord[];
  observation: Observation | null;
  stateKey: string | null;
}

/** A fetched raw record, observed, or with the reason it is parked. */
type Read =
  | { message: KafkaMessage; raw: RawRecord; observed: Observed; parked?: never }
  | { message: KafkaMessage; raw: RawRecord | null; parked: string };

const stateKeyOf = (record: Read) => (record.parked === undefined ? record.observed.stateKey : null);

/** Where a partition taken over was committed up to; `jumped`: the consumer was sent there (seek). */
interface TakenOver {
  from: bigint | null;
  jumped: boolean;
}

/** Raw partitions decided at once by one instance. */
const PARTITIONS_AT_ONCE = 3;

const streamOf = { order: 'orders', customer: 'customers', product: 'products' } as const;

export interface DeciderWorker {
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * False once the consumer stopped for good (kafkajs does not restart it); supervised, while its
   * replacements keep crashing. `/readyz` says so.
   */
  running(): boolean;
  /**
   * How long the longest-failing of its partitions has failed on every try of its next record
   * (kafkajs retries it forever, while other partitions may flow); 0 when none is failing.
   */
  failingForMs(now?: number): number;
}

/**
 * Reads the raw topic and turns each record into domain events. Events, any re-published raw
 * records and the raw offset are committed in one Kafka transaction per chunk of consecutive
 * records: a record's events appear exactly once, or not at all and the record is read again.
 */
export function createDeciderWorker(deps: DeciderDeps): DeciderWorker {
  const { topics, log } = deps;
  const consumer: Consumer = deps.kafka.consumer({
    groupId: deps.groupId,
    readUncommitted: false,
    allowAutoTopicCreation: false,
    // A record past the default 1 MiB comes whole only when its partition is first in the fetch.
    maxBytesPerPartition: MAX_RECORD_BYTES,
    // A stop (shutdown, a supervised restart) waits for the fetch in flight: not kafkajs's 5 s.
    maxWaitTimeInMs: 1_000,
  });
  /**
   * One transactional producer per raw partition, named after it: whichever instance of ingest owns
   * the partition fences any earlier owner still writing for it (a zombie after a rebalance), and
   * instances never fence each other over partitions they do not share.
   */
  const producers = new Map<number, Promise<Producer>>();
  const producerFor = (partition: number): Promise<Producer> => {
    let producer = producers.get(partition);
    if (!producer) {
      const created = deps.kafka.producer({
        transactionalId: `${deps.groupId}-tx-${partition}`,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      });
      producer = created.connect().then(() => created);
      producer.catch(() => producers.delete(partition));
      producers.set(partition, producer);
    }
    return producer;
  };
  /** After a failed transaction (fenced, or broken off) the next try starts from a fresh producer. */
  const dropProducer = async (partition: number) => {
    const producer = producers.get(partition);
    producers.delete(partition);
    await producer?.then((p) => p.disconnect()).catch(() => undefined);
  };
  let crashed = false;
  const failing = deps.failing ?? createFailingPartitions();
  const fenced = createFencedPartitions();
  /** Partitions the group assigned at the last join whose earlier owner is not fenced yet. */
  let unready = new Set<number>();
  /** Per partition taken over: below this offset, records its earlier owner decided and committed. */
  const decidedBefore = new Map<number, bigint>();
  /** Per partition, where this decider's own commits reached since the last join. */
  const committedThrough = new Map<number, bigint>();

  /**
   * A partition just assigned, `first` the first record fetched: a new producer fences any earlier
   * owner still at work (its transaction in flight is aborted, or waited for if already
   * committing), and only then are the group's offsets read, since the earlier owner's last commit
   * may have come after this consumer read them. Where it was committed up to, or null when nothing
   * was; throws when the log is not the one the decider committed (see `rawLogBehind`).
   */
  async function takeOver(partition: number, first: KafkaMessage | undefined): Promise<TakenOver> {
    await dropProducer(partition);
    // kafkajs takes the transactional id (InitProducerId) at a producer's first transaction; an
    // empty one ends without a word to the broker.
    await (await (await producerFor(partition)).transaction()).abort();
    const [[raw], ends, mark] = await Promise.all([
      deps.admin.fetchOffsets({ groupId: deps.groupId, topics: [topics.raw] }),
      deps.admin.fetchTopicOffsets(topics.raw),
      deps.marks.read(topics.raw, partition),
    ]);
    const offset = raw?.partitions.find((p) => p.partition === partition)?.offset;
    const committed = offset === undefined || offset === '-1' ? null : BigInt(offset);
    const end = ends.find((p) => p.partition === partition)?.high;
    // Metadata not caught up with partitions just added: tried again.
    if (end === undefined)
      throw new AppError(
        'ERR_INGEST_RAW_LOG_UNKNOWN',
        `${topics.raw}/${partition} has no known end yet`,
        true,
      );
    const where = { topic: topics.raw, partition };
    // Read from its start (no offset committed): its first record says which log it is.
    const print = committed === null && first ? firstRecordPrint(first) : null;
    const plan = planTakeover(where, { committed, logEnd: BigInt(end), mark, print });
    if (plan.kind === 'refuse') throw plan.keep ? await refused(partition, plan.error) : plan.error;
    if (plan.kind === 'read') {
      if (plan.keepPrint !== null) await deps.marks.firstSeen(topics.raw, partition, plan.keepPrint);
      return { from: plan.from, jumped: false };
    }
    const marked = plan.to;
    // The same log, its group's offsets gone (expired while ingest was stopped): read on from the
    // mark, committed for the group at once so its lag and read-your-writes waits count from there.
    log.warn(
      { partition, marked: marked.toString() },
      'the group has no offset for a raw partition the decider committed (expired?): reading on from its mark',
    );
    const transaction = await (await producerFor(partition)).transaction();
    try {
      await retryConcurrentTransactions(() =>
        transaction.sendOffsets({
          consumerGroupId: deps.groupId,
          topics: [{ topic: topics.raw, partitions: [{ partition, offset: marked.toString() }] }],
        }),
      );
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      await dropProducer(partition);
      // Another instance took the partition over meanwhile: it jumps, or decides, in its turn.
      if (isFenced(error)) throw fenced.fenced(partition);
      throw error;
    }
    consumer.seek({ topic: topics.raw, partition, offset: marked.toString() });
    return { from: marked, jumped: true };
  }

  /**
   * The refusal of a raw partition, kept in its mark first: a log that lost records may grow back
   * past the mark, and its new records would then be taken for ones decided.
   */
  async function refused(partition: number, refusal: AppError): Promise<AppError> {
    await deps.marks.refuse(topics.raw, partition, refusal.message);
    return refusal;
  }

  /**
   * The events as messages for their topics. An event that can never be written (it breaks the
   * contract, or Avro cannot carry it) fails for good: the record is parked, not retried forever.
   * `stored`: events an earlier decision kept, maybe by another release (see `encodeStored`).
   */
  async function encodeAll(events: readonly DomainEvent[], stored = false): Promise<Result<Encoded[]>> {
    const encoded: Encoded[] = [];
    for (const event of events) {
      try {
        // Encoded first: a stored event of a type this release does not know is refused there.
        const value = await (stored ? deps.codec.encodeStored(event) : deps.codec.encode(event));
        encoded.push({
          topic: topics[eventCatalog[event.type].stream],
          message: {
            key: eventKey(event.metadata.tenantId, event.metadata.aggregateId),
            value,
            headers: { 'x-event-id': event.metadata.eventId, 'x-event-type': event.type },
          },
        });
      } catch (error) {
        if (error instanceof AppError && !error.retriable) return err(error);
        throw error;
      }
    }
    return ok(encoded);
  }

  /** What a raw record is about, before anything is read or written for it; a string says why it is parked. */
  function observe(raw: RawRecord): Observed | string {
    const observed = observeRaw(raw);
    if (!observed.ok) return `${observed.error.code}: ${observed.error.message}`;
    const { observation, embeddedCustomer } = observed.value;
    const extra: RawRecord[] = embeddedCustomer
      ? [
          {
            key: `${raw.tenantId}:customer:${embeddedCustomer.id}`,
            body: embeddedCustomer.body,
            tenantId: raw.tenantId,
            haravanTopic: 'customers/update',
            orgId: raw.orgId,
            source: 'order-embedded',
            receivedAt: raw.receivedAt,
          },
        ]
      : [];
    return { extra, observation, stateKey: observation ? aggregateKey(raw.tenantId, observation) : null };
  }

  /** The record's outcome, and the state to store for its aggregate once its chunk is written. */
  async function eventsFor(
    raw: RawRecord,
    observed: Observed,
    stored: StoredState | undefined,
    partition: number,
    offset: string,
  ): Promise<{ outcome: Outcome; state: [string, StoredState] | null }> {
    const { observation, extra, stateKey: key } = observed;
    if (!observation || key === null) return { outcome: { events: [], extra, dead: null }, state: null };

    const { kind, id } = aggregateOf(observation);
    const aggregate = { kind, eventKey: eventKey(raw.tenantId, id) };
    // The same record read again; offsets of another raw topic (a new TOPIC_PREFIX) start over.
    const again =
      stored &&
      (stored.decidedIn ?? `${topics.raw}/${partition}`) === `${topics.raw}/${partition}` &&
      stored.lastDecision.partition === partition &&
      stored.lastDecision.offset === offset;
    let decision: Decision;
    try {
      decision = again
        ? { state: undefined, events: stored.lastDecision.events }
        : decide(stored?.state, observation, {
            tenantId: raw.tenantId,
            source: raw.source === 'webhook' ? 'webhook' : raw.source === 'cdp' ? 'cdp' : 'poll',
            causationId: `${topics.raw}/${partition}/${offset}`,
            recordedAt: raw.receivedAt,
          });
    } catch (error) {
      // Deciding is pure: a throw would come back on every retry and stop the whole partition.
      return {
        outcome: { events: [], extra, dead: `ERR_INGEST_UNDECIDABLE: ${String(error)}` },
        state: null,
      };
    }
    const encoded = await encodeAll(decision.events, again);
    // A parked record leaves the aggregate's state as it was: its change is not taken as known.
    if (!encoded.ok)
      return {
        outcome: { events: [], extra, dead: `${encoded.error.code}: ${encoded.error.message}` },
        state: null,
      };
    const state: [string, StoredState] | null = decision.state
      ? [key, { state: decision.state, lastDecision: { partition, offset, events: decision.events } }]
      : null;
    return { outcome: { events: encoded.value, extra, dead: null, aggregate }, state };
  }

  /**
   * Records where a push's change is in the event log: its own last event, or with none (Haravan's
   * echo came first, or nothing changed) the end of the aggregate's partition, past every event it
   * had. Never throws: the position is a convenience the command can lack, not worth a retry.
   */
  async function recordCommandPosition(
    command: { tenantId: string; commandId: string },
    aggregate: Aggregate,
    events: readonly Encoded[],
    sent: readonly RecordMetadata[],
  ): Promise<void> {
    const topic = topics[streamOf[aggregate.kind]];
    const ownEvents = events.filter((e) => e.topic === topic).length;
    try {
      const position =
        ownEvents > 0
          ? lastSentPosition(sent, topic, ownEvents)
          : await partitionEndPosition(deps.admin, topic, aggregate.eventKey);
      if (position) await deps.commands.recordPosition(command.tenantId, command.commandId, position);
    } catch (error) {
      log.warn({ err: error, commandId: command.commandId }, "push command's position not recorded");
    }
  }

  /** A fetched raw record, read and observed. */
  function read(message: KafkaMessage): Read {
    const raw = fromKafkaMessage(message);
    if (!raw)
      return {
        message,
        raw,
        parked:
          'ERR_INGEST_RAW_HEADERS: raw record lacks its headers, or they are not what the raw log writes',
      };
    const observed = observe(raw);
    return typeof observed === 'string' ? { message, raw, parked: observed } : { message, raw, observed };
  }

  /** Decides a record into `chunk`, with its aggregate's stored state. */
  async function decideInto(
    chunk: Chunk,
    batch: BatchContext,
    record: Read,
    stored: StoredState | undefined,
  ) {
    const { partition } = batch;
    const { message, raw } = record;
    const { outcome, state } =
      record.parked === undefined
        ? await eventsFor(record.raw, record.observed, stored, partition, message.offset)
        : { outcome: { events: [], extra: [], dead: record.parked }, state: null };

    const messages: Encoded[] = [...outcome.events];
    for (const extra of outcome.extra) messages.push({ topic: topics.raw, message: toKafkaMessage(extra) });
    if (outcome.dead) {
      log.warn(
        { partition, offset: message.offset, reason: outcome.dead },
        'raw record parked in the dead-letter topic',
      );
      messages.push({
        topic: topics.deadLetter,
        message: {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            'x-dlq-reason': outcome.dead,
            'x-dlq-origin': `${topics.raw}/${partition}/${message.offset}`,
            'x-dlq-format': 'json',
          },
        },
      });
    }
    // Written first when this record's messages would take the chunk past its size.
    if (chunk.wouldOverflow(messages)) await flush(chunk, batch);
    chunk.add({ raw, outcome }, message.offset, messages, state);
  }

  /**
   * Stores the chunk's states, then writes its messages and the offset after its last record in one
   * transaction. A state stored for a transaction that then fails names its record as its last
   * decision: the record read again sends the same events.
   */
  async function flush(chunk: Chunk, batch: BatchContext): Promise<void> {
    const { partition } = batch;
    const last = chunk.lastOffset();
    if (last === null) return;
    // Past a batch's trailing transaction markers too, so a caught-up decider shows no lag.
    const offset = (BigInt(last === batch.lastRecord ? batch.end : last) + 1n).toString();
    try {
      await deps.states.putMany(chunk.states(), `${topics.raw}/${partition}`);
      await commit(chunk, partition, offset);
    } catch (error) {
      // Its records are read again, each finding its own stored decision (or none): the same events.
      chunk.clear();
      throw error;
    }
    batch.resolveOffset(last);
    committedThrough.set(partition, BigInt(offset));
    await deps.marks.passed(topics.raw, partition, BigInt(offset));
    failing.succeeded(partition);
    for (const { outcome } of chunk.records()) {
      deps.metrics.decided(outcome.dead ? 'dead_letter' : 'ok');
      deps.metrics.decided('events', outcome.events.length);
    }
    chunk.clear();
  }

  /** The chunk's messages and the raw offset `offset` in one transaction; aborted if any step fails. */
  async function commit(chunk: Chunk, partition: number, offset: string): Promise<void> {
    const transaction = await (await producerFor(partition)).transaction();
    try {
      const topicMessages = chunk.topicMessages();
      const sent = topicMessages.length > 0 ? await transaction.sendBatch({ acks: -1, topicMessages }) : [];
      await retryConcurrentTransactions(() =>
        transaction.sendOffsets({
          consumerGroupId: deps.groupId,
          topics: [{ topic: topics.raw, partitions: [{ partition, offset }] }],
        }),
      );
      // Before the commit: recorded after it, a crash in between would lose it for good, the raw
      // record being committed. A commit that fails has the record decided and recorded again.
      const [only] = chunk.records();
      if (chunk.records().length === 1 && only?.raw?.commandId !== undefined && only.outcome.aggregate)
        await recordCommandPosition(
          { tenantId: only.raw.tenantId, commandId: only.raw.commandId },
          only.outcome.aggregate,
          only.outcome.events,
          sent,
        );
      await transaction.commit();
    } catch (error) {
      deps.metrics.decided('transaction_failed');
      await transaction.abort().catch(() => undefined);
      await dropProducer(partition);
      if (isFenced(error)) {
        log.warn({ err: error, partition }, "the decider's producer was fenced; it waits for a rejoin");
        throw fenced.fenced(partition);
      }
      throw error;
    }
  }

  return {
    async start() {
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        // kafkajs's own crash line can be demoted with the retried races it mentions (kafkajs-log-level.ts).
        if (payload.restart) {
          log.warn(
            { err: payload.error },
            'the decider consumer failed and restarts; the record is tried again',
          );
          return;
        }
        crashed = true;
        if (deps.onCrash) deps.onCrash(payload.error);
        else
          log.error(
            { err: payload.error },
            'the decider stopped for good; raw records are no longer decided',
          );
      });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        fenced.joined();
        failing.keepOnly(payload.memberAssignment[topics.raw] ?? []);
        unready = new Set(payload.memberAssignment[topics.raw] ?? []);
        decidedBefore.clear();
        committedThrough.clear();
      });
      await consumer.connect();
      await consumer.subscribe({ topic: topics.raw, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        // Partitions have their own producers and aggregates: while one waits on the store or the
        // broker, another decides (3,000 orders on 3 partitions: 519 -> 635 records/s).
        partitionsConsumedConcurrently: PARTITIONS_AT_ONCE,
        eachBatch: async (payload) => {
          const { partition } = payload.batch;
          let { messages } = payload.batch;
          const context: BatchContext = {
            partition,
            resolveOffset: (offset) => payload.resolveOffset(offset),
            lastRecord: messages.at(-1)?.offset,
            end: payload.batch.lastOffset(),
          };
          const chunk: Chunk = createTransactionChunk();
          const going = () => payload.isRunning() && !payload.isStale();
          let beating = false;
          try {
            // Nothing read or stored for a partition that may have another owner now.
            fenced.check(partition);
            // This join's set: a rejoin meanwhile gives a new one, which takes the partition over again.
            const joined = unready;
            if (joined.has(partition)) {
              const { from, jumped } = await takeOver(partition, messages[0]);
              joined.delete(partition);
              // Fetched again from where the seek put it.
              if (jumped) return;
              if (from !== null) decidedBefore.set(partition, from);
            }
            // kafkajs reads a log made again under it from its start, its offsets past the end.
            const first = messages[0]?.offset;
            const behind =
              first !== undefined &&
              rawLogBehind({ topic: topics.raw, partition }, committedThrough.get(partition) ?? null, {
                readAt: BigInt(first),
              });
            if (behind) throw await refused(partition, behind);
            // The earlier owner may have committed past this batch, too: skipped until passed.
            const floor = decidedBefore.get(partition);
            if (floor !== undefined) {
              const committed = messages.filter((m) => BigInt(m.offset) < floor);
              const last = committed.at(-1);
              if (last) {
                log.info(
                  { partition, records: committed.length },
                  'records the earlier owner decided are skipped',
                );
                payload.resolveOffset(last.offset);
                messages = messages.slice(committed.length);
              }
              if (BigInt(payload.batch.lastOffset()) + 1n >= floor) decidedBefore.delete(partition);
            }
            const runs = runsOf(
              messages.map(read),
              stateKeyOf,
              (r) => r.raw?.commandId !== undefined,
              defaultChunkLimits.records,
            );
            for (const run of runs) {
              if (!going()) break;
              const stored = await deps.states.getMany(run.flatMap((r) => stateKeyOf(r) ?? []));
              for (const record of run) {
                if (!going()) break;
                const key = stateKeyOf(record);
                await decideInto(chunk, context, record, key === null ? undefined : stored.get(key));
              }
              await flush(chunk, context);
              beating = true;
              await payload.heartbeat();
              beating = false;
            }
          } catch (error) {
            // A rebalance under way makes the heartbeat throw: nothing failed, and nothing is left to write.
            if (beating) throw error;
            // What was decided before a record failed is written, so only that record is tried again
            // (a chunk whose own writing failed is empty by now: its records are read again).
            if (going()) await flush(chunk, context).catch(() => undefined);
            failing.failed(partition, Date.now());
            throw error;
          }
        },
      });
    },
    async stop() {
      try {
        await consumer.disconnect();
      } finally {
        await Promise.all([...producers.keys()].map(dropProducer));
        await deps.marks.flush();
      }
    },
    running: () => !crashed,
    failingForMs: (now = Date.now()) => failing.longestMs(now),
  };
}
