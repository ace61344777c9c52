import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { AppError } from '@cdp/contracts';

/** Records `from` (inclusive) to `to` (exclusive) of one partition. */
export interface LogRange {
  topic: string;
  partition: number;
  from: number;
  to: number;
}

/**
 * Reads the ranges' records, each once and in order within its partition, in a consumer group of its
 * own that is deleted afterwards. Rejects with the first error `onRecord` throws (kafkajs would retry
 * that batch forever), when the consumer crashes for good, after `timeoutMs`, or when no batch has
 * come for `idleMs` (a read of the whole log may take long, but not stand still).
 */
export async function readLogRanges(
  deps: { kafka: Kafka; admin: Admin },
  ranges: LogRange[],
  onRecord: (topic: string, partition: number, message: KafkaMessage) => Promise<void>,
  opts: { timeoutMs?: number; idleMs?: number } = {},
): Promise<void> {
  const remaining = new Map(
    ranges.filter((r) => r.to > r.from).map((r): [string, LogRange] => [`${r.topic}/${r.partition}`, r]),
  );
  if (remaining.size === 0) return;
  const groupId = `read-log-${randomUUID()}`;
  const topics = [...new Set(ranges.map((r) => r.topic))];
  const consumer = deps.kafka.consumer({ groupId, readUncommitted: false });
  let timer: NodeJS.Timeout | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    // From the beginning: a consumer kafkajs restarts forgets the seeks below and reads again from 0.
    await consumer.subscribe({ topics, fromBeginning: true });
    // Each partition's next offset to hand over: what a restarted consumer reads again is not.
    const next = new Map([...remaining].map(([id, r]) => [id, r.from]));
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (error: Error) => {
        failed = true;
        reject(error);
      };
      // kafkajs reports a consumer it gave up on here, not to run()'s promise.
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) fail(payload.error);
      });
      const stillReading = () => {
        if (opts.idleMs === undefined || failed || remaining.size === 0) return;
        const ms = opts.idleMs;
        clearTimeout(idleTimer);
        idleTimer = setTimeout(
          () => fail(new AppError('ERR_LOG_READ_STALLED', `no record of the log came for ${ms} ms`, true)),
          ms,
        );
        // Batches kafkajs hands over while disconnecting must not keep the process waiting.
        idleTimer.unref();
      };
      stillReading();
      const readUpTo = (id: string, lastOffset: number) => {
        const range = remaining.get(id);
        // lastOffset counts transaction markers too, so it reaches to - 1 once the range is read.
        if (range && lastOffset >= range.to - 1) remaining.delete(id);
        if (remaining.size === 0) resolve();
      };
      // kafkajs hands no batch of only transaction markers or aborted records to eachBatch.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        stillReading();
        if (payload.batchSize === 0 && !failed)
          readUpTo(`${payload.topic}/${payload.partition}`, Number(payload.lastOffset));
      });
      if (opts.timeoutMs !== undefined) {
        const ms = opts.timeoutMs;
        timer = setTimeout(
          () => fail(new AppError('ERR_LOG_READ_TIMEOUT', `the log was not read within ${ms} ms`, true)),
          ms,
        );
      }
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            stillReading();
            const id = `${batch.topic}/${batch.partition}`;
            const range = remaining.get(id);
            if (failed || !range) return;
            try {
              for (const message of batch.messages) {
                const offset = Number(message.offset);
                if (offset < (next.get(id) ?? range.from) || offset >= range.to) continue;
                await onRecord(batch.topic, batch.partition, message);
                next.set(id, offset + 1);
              }
            } catch (error) {
              fail(error instanceof Error ? error : new Error(String(error)));
              return;
            }
            readUpTo(id, Number(batch.lastOffset()));
          },
        })
        .catch(reject);
      // kafkajs applies seeks made right after run() once the partitions are assigned; done ranges
      // are sought too, so that their partitions are not read from 0 for nothing.
      for (const r of ranges)
        consumer.seek({ topic: r.topic, partition: r.partition, offset: String(r.from) });
    });
  } finally {
    clearTimeout(timer);
    clearTimeout(idleTimer);
    await consumer.disconnect();
    await deps.admin.deleteGroups([groupId]).catch(() => undefined);
  }
}
