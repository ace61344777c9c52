import type { Kafka, Producer } from 'kafkajs';
import { AppError } from '@cdp/contracts';
import { toKafkaMessage, type RawRecord } from './raw-record';

export interface RawLog {
  /** Resolves once every in-sync replica has the records (acks=all); rejects with a retriable AppError otherwise. */
  append(records: RawRecord[]): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  records: RawRecord[];
  resolve: () => void;
  reject: (error: AppError) => void;
}

/**
 * The raw topic's writer. Appends that arrive while a send is in flight are combined into the
 * next send (group commit): concurrent webhooks share one acks=all round trip instead of queueing
 * behind each other on the idempotent producer, and records still reach the log in arrival order.
 */
export async function createRawLog(kafka: Kafka, topic: string, maxRecordsPerSend = 500): Promise<RawLog> {
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  let queue: Pending[] = [];
  let sending = false;

  async function drain(): Promise<void> {
    if (sending || queue.length === 0) return;
    sending = true;
    const batch: Pending[] = [];
    let count = 0;
    for (let next = queue[0]; next; next = queue[0]) {
      if (batch.length > 0 && count + next.records.length > maxRecordsPerSend) break;
      batch.push(next);
      count += next.records.length;
      queue.shift();
    }
    try {
      await producer.send({
        topic,
        acks: -1,
        timeout: 10_000,
        messages: batch.flatMap((p) => p.records.map(toKafkaMessage)),
      });
      for (const p of batch) p.resolve();
    } catch (cause) {
      const error = new AppError('ERR_INGEST_KAFKA_UNAVAILABLE', 'Kafka did not accept the records', true, {
        cause,
      });
      for (const p of batch) p.reject(error);
    } finally {
      sending = false;
      void drain();
    }
  }

  return {
    append(records) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ records, resolve, reject });
        void drain();
      });
    },
    async close() {
      const unsent = queue;
      queue = [];
      const error = new AppError('ERR_INGEST_CLOSING', 'the raw log is closing', true);
      for (const p of unsent) p.reject(error);
      await producer.disconnect();
    },
  };
}
