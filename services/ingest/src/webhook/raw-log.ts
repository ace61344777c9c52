import type { Kafka, Producer } from 'kafkajs';
import { AppError } from '@cdp/contracts';
import { toKafkaMessage, type RawRecord } from './raw-record';

export interface RawLog {
  /** Resolves once every in-sync replica has the records (acks=all); rejects with a retriable AppError otherwise. */
  append(records: RawRecord[]): Promise<void>;
  close(): Promise<void>;
}

export async function createRawLog(kafka: Kafka, topic: string): Promise<RawLog> {
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  return {
    async append(records) {
      try {
        await producer.send({ topic, acks: -1, timeout: 10_000, messages: records.map(toKafkaMessage) });
      } catch (cause) {
        throw new AppError('ERR_INGEST_KAFKA_UNAVAILABLE', 'Kafka did not accept the records', true, {
          cause,
        });
      }
    },
    close: () => producer.disconnect(),
  };
}
