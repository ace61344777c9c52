import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import { AppError } from '@cdp/contracts';
import { renewingProducer } from '@cdp/kafka';
import { nextSend, type Queued, type SendLimits, type Slice } from './next-send';
import { toKafkaMessage, type RawRecord } from './raw-record';

export interface RawLog {
  /** Resolves once every in-sync replica has the records (acks=all); rejects with a retriable AppError otherwise. */
  append(records: RawRecord[]): Promise<void>;
  close(): Promise<void>;
}

interface Pending extends Queued<RawRecord> {
  bytes: number;
  resolve: () => void;
  reject: (error: AppError) => void;
}

/** What a record weighs in a send: its bytes, plus its headers and framing (about 200 bytes). */
const sizeOf = (record: RawRecord) => record.body.length + Buffer.byteLength(record.key) + 256;

/** How long closing waits for the send in flight: within a container's stop grace (10 s in Compose). */
const CLOSE_WAIT_MS = 5_000;

export const defaultSendLimits: SendLimits = { records: 500, bytes: 512 * 1024 };
/**
 * What may wait for Kafka at once: past it an append is refused at once (retriable), instead of
 * holding bodies in memory without bound while Kafka is away and Haravan keeps delivering.
 */
export const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/**
 * The raw topic's writer. Appends that arrive while a send is in flight are combined into the
 * next send (group commit): concurrent webhooks share one acks=all round trip instead of queueing
 * behind each other on the idempotent producer, and records still reach the log in arrival order.
 * A send stays within `limits` (a burst of large deliveries, or a page of large orders, in one
 * batch would pass the broker's message size limit and be refused whole): an append that does not
 * fit goes on in the next send, and resolves once all its records are in.
 */
export async function createRawLog(
  kafka: Kafka,
  topic: string,
  limits: SendLimits = defaultSendLimits,
  maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES,
): Promise<RawLog> {
  const producer = renewingProducer(kafka, { maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  let queue: Pending[] = [];
  let queuedBytes = 0;
  let sending: Promise<void> | null = null;
  let closing = false;
  const closingError = () => new AppError('ERR_INGEST_CLOSING', 'the raw log is closing', true);

  /** The queue without what `stays` leaves out, and its bytes with it. */
  const keep = (from: Pending[], stays: (p: Pending) => boolean) =>
    from.filter((p) => {
      const kept = stays(p);
      if (!kept) queuedBytes -= p.bytes;
      return kept;
    });

  function drain(): void {
    if (sending || closing || queue.length === 0) return;
    sending = send(nextSend(queue, limits, sizeOf)).finally(() => {
      sending = null;
      drain();
    });
  }

  async function send(slices: Slice<Pending>[]): Promise<void> {
    try {
      await producer.send({
        topic,
        acks: -1,
        timeout: 10_000,
        messages: slices.flatMap(({ queued, from, to }) =>
          queued.records.slice(from, to).map(toKafkaMessage),
        ),
      });
      for (const { queued, to } of slices) {
        queued.sent = to;
        if (to === queued.records.length) queued.resolve();
      }
      queue = keep(queue, (p) => p.sent < p.records.length);
    } catch (cause) {
      const error = new AppError('ERR_INGEST_KAFKA_UNAVAILABLE', 'Kafka did not accept the records', true, {
        cause,
      });
      // An append split across sends fails whole: its caller repeats it, records already in included.
      const failed = new Set(slices.map((s) => s.queued));
      for (const p of failed) p.reject(error);
      queue = keep(queue, (p) => !failed.has(p));
    }
  }

  return {
    append(records) {
      if (closing) return Promise.reject(closingError());
      if (records.length === 0) return Promise.resolve();
      const bytes = records.reduce((sum, r) => sum + sizeOf(r), 0);
      // An empty queue takes any append, so one larger than the bound is not refused for ever.
      if (queue.length > 0 && queuedBytes + bytes > maxQueuedBytes)
        return Promise.reject(
          new AppError('ERR_INGEST_BACKLOG', 'too much is waiting for Kafka; retry shortly', true),
        );
      queuedBytes += bytes;
      return new Promise<void>((resolve, reject) => {
        queue.push({ records, sent: 0, bytes, resolve, reject });
        drain();
      });
    },
    async close() {
      closing = true;
      // The send in flight is answered by the broker (its appends may be in), unless the broker
      // keeps it past a shutdown's grace: then it is refused too, and Haravan's retry repeats it.
      const deadline = sleep(CLOSE_WAIT_MS, undefined, { ref: false });
      await Promise.race([sending, deadline]);
      const unsent = queue;
      queue = [];
      queuedBytes = 0;
      for (const p of unsent) p.reject(closingError());
      // kafkajs waits for the broker's answer to a send in flight: within the same grace.
      // A disconnect that fails after the deadline has nobody to tell.
      await Promise.race([producer.disconnect().catch(() => undefined), deadline]);
    },
  };
}
