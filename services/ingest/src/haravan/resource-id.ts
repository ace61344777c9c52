import { toId } from './lenient';
import { isRecord } from './unwrap';

const wrapperKeys = ['order', 'customer', 'product'] as const;

/** The Haravan id of a webhook body or REST record, as a string (the Kafka key of raw records). */
export function resourceIdOf(payload: unknown): string | null {
  if (!isRecord(payload)) return null;
  if ('id' in payload) return toId(payload['id']);
  for (const key of wrapperKeys) {
    const inner = payload[key];
    if (isRecord(inner)) return toId(inner['id']);
  }
  return null;
}
