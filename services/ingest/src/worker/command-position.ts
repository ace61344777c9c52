import { Partitioners, type Admin, type RecordMetadata } from 'kafkajs';
import { formatLogPosition } from '@cdp/read-models';

/**
 * The offset of the last of `count` messages sent to `topic` in one batch, from the broker's answer.
 * They share one key, so one partition, and take consecutive offsets from its base offset.
 */
export function lastSentPosition(
  sent: readonly RecordMetadata[],
  topic: string,
  count: number,
): string | null {
  const written = sent.find((m) => m.topicName === topic);
  if (!written?.baseOffset || count === 0) return null;
  return formatLogPosition({
    topic,
    partition: written.partition,
    offset: Number(written.baseOffset) + count - 1,
  });
}

const partitionOf = Partitioners.DefaultPartitioner();

/**
 * Where `key`'s partition of `topic` ends now: every event for the key written before is at or
 * below it. The producers use kafkajs's default partitioner, so the same one finds the partition.
 */
export async function partitionEndPosition(admin: Admin, topic: string, key: string): Promise<string | null> {
  const offsets = await admin.fetchTopicOffsets(topic);
  const partition = partitionOf({
    topic,
    partitionMetadata: offsets.map((o) => ({
      partitionId: o.partition,
      partitionErrorCode: 0,
      leader: 0,
      replicas: [],
      isr: [],
    })),
    message: { key, value: null },
  });
  const end = offsets.find((o) => o.partition === partition);
  if (!end || Number(end.high) === 0) return null;
  return formatLogPosition({ topic, partition, offset: Number(end.high) - 1 });
}
