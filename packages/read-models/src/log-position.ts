/**
 * One event's place in the log, written `topic/partition/offset`: what a push command hands out and
 * a read's `X-Min-Position` waits for (the projector's progress is kept per `topic/partition`).
 */
export interface LogPosition {
  topic: string;
  partition: number;
  offset: number;
}

export const LOG_POSITION_PATTERN = /^(.+)\/(\d+)\/(\d+)$/;

export const formatLogPosition = ({ topic, partition, offset }: LogPosition): string =>
  `${topic}/${partition}/${offset}`;

export function parseLogPosition(text: string): LogPosition | null {
  const [, topic, partition, offset] = LOG_POSITION_PATTERN.exec(text) ?? [];
  return topic === undefined ? null : { topic, partition: Number(partition), offset: Number(offset) };
}
