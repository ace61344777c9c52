import type { Consumer, Kafka, Producer } from 'kafkajs';
import { AppError, type TopicNames } from '@cdp/contracts';
import type { EventCodec } from '@cdp/kafka';
import type { Logger } from '@cdp/logging';
import type { ReadModelWriter } from './read-model-writer';

export interface ProjectorDeps {
  kafka: Kafka;
  codec: EventCodec;
  writer: ReadModelWriter;
  /** Records how far each partition is applied; the read API's lag and read-your-writes come from it. */
  progress: (update: { topic: string; partition: number; appliedOffset: number; highWatermark: number; lastRecordedAt: string | null }) => Promise<void>;
  topics: TopicNames;
  groupId: string;
  log: Logger;
  metrics: {
    applied: (outcome: string) => void;
    lastAppliedAt: (topic: string, partition: number, recordedAtMs: number) => void;
  };
}

export interface Projector {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Consumes the domain topics into the read models. Within a partition events apply one by one
 * and an offset is resolved only after its write, so the committed offset never passes an
 * unapplied event. An event that cannot decode is parked in the dead-letter topic with its error.
 */
export function createProjector(deps: ProjectorDeps): Projector {
  const { topics, log } = deps;
  const consumer: Consumer = deps.kafka.consumer({
    groupId: deps.groupId,
    readUncommitted: false,
    allowAutoTopicCreation: false,
  });
  const dlq: Producer = deps.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });

  return {
    async start() {
      await dlq.connect();
      await consumer.connect();
      await consumer.subscribe({
        topics: [topics.orders, topics.customers, topics.products],
        fromBeginning: true,
      });
      await consumer.run({
        eachBatchAutoResolve: false,
        eachBatch: async (payload) => {
          const { batch } = payload;
          let appliedOffset = -1;
          let lastRecordedAt: string | null = null;
          for (const message of batch.messages) {
            if (!payload.isRunning() || payload.isStale()) return;
            const position = { partition: batch.partition, offset: Number(message.offset) };
            const decoded = message.value
              ? await deps.codec.decode(message.value)
              : {
                  ok: false as const,
                  error: new AppError('ERR_PROJECTOR_EMPTY', 'record has no value', false),
                };
            if (!decoded.ok) {
              if (decoded.error.retriable) throw decoded.error;
              log.warn(
                { topic: batch.topic, ...position, code: decoded.error.code },
                'event parked in the dead-letter topic',
              );
              await dlq.send({
                topic: topics.deadLetter,
                acks: -1,
                messages: [
                  {
                    key: message.key,
                    value: message.value,
                    headers: {
                      ...message.headers,
                      'x-dlq-reason': `${decoded.error.code}: ${decoded.error.message}`,
                      'x-dlq-origin': `${batch.topic}/${batch.partition}/${message.offset}`,
                    },
                  },
                ],
              });
              deps.metrics.applied('dead_letter');
            } else {
              // A store outage throws; kafkajs retries the batch with backoff and nothing is skipped.
              await deps.writer.apply(decoded.value, position);
              deps.metrics.applied('ok');
              deps.metrics.lastAppliedAt(
                batch.topic,
                batch.partition,
                Date.parse(decoded.value.metadata.recordedAt),
              );
            }
            appliedOffset = position.offset;
            if (decoded.ok) lastRecordedAt = decoded.value.metadata.recordedAt;
            payload.resolveOffset(message.offset);
            await payload.heartbeat();
          }
          if (appliedOffset >= 0) {
            await deps.progress({
              topic: batch.topic,
              partition: batch.partition,
              appliedOffset,
              highWatermark: Number(batch.highWatermark),
              lastRecordedAt,
            });
          }
        },
      });
    },
    async stop() {
      await consumer.disconnect();
      await dlq.disconnect();
    },
  };
}
