import { createHash } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';

/**
 * Which record a raw partition holds first (read committed: an aborted one at offset 0 is passed
 * over): its offset, timestamp (the producer's), key and a digest of its body. A topic made again
 * holds another there, so a log that grew past the decider's mark is still told apart from the one
 * it decided.
 */
export function firstRecordPrint(
  message: Pick<KafkaMessage, 'offset' | 'timestamp' | 'key' | 'value'>,
): string {
  const digest = createHash('sha256')
    .update(message.value ?? Buffer.alloc(0))
    .digest('hex')
    .slice(0, 16);
  return `${message.offset}/${message.timestamp}/${message.key?.toString('utf8') ?? ''}/${digest}`;
}
