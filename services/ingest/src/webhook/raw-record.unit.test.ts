import { describe, expect, it } from 'vitest';
import { fromKafkaMessage, RAW_HEADERS, toKafkaMessage, type RawRecord } from './raw-record';

const record: RawRecord = {
  key: 'shop:order:1',
  body: Buffer.from('{"id":1}'),
  tenantId: 'shop',
  haravanTopic: 'orders/updated',
  orgId: '200000001',
  source: 'webhook',
  receivedAt: '2026-12-01T10:00:00.000Z',
};

/** The record as a consumer fetches it: header values as bytes. */
const fetched = (headers: Record<string, string>) => {
  const message = toKafkaMessage(record);
  const all: Record<string, string> = { ...message.headers, ...headers };
  return {
    key: Buffer.from(message.key),
    value: message.value,
    headers: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, Buffer.from(v)])),
  };
};

describe('a raw record read back from Kafka', () => {
  it('is the record the raw log wrote', () => {
    expect(fromKafkaMessage(fetched({}))).toEqual(record);
  });

  it('is refused when its source is not one the raw log writes, since the source decides whether it is decided', () => {
    expect(fromKafkaMessage(fetched({ [RAW_HEADERS.source]: 'webhook-tset' }))).toBeNull();
  });

  it('is refused when its receipt time is missing or not a time, rather than dated 1970', () => {
    expect(fromKafkaMessage(fetched({ [RAW_HEADERS.receivedAt]: 'yesterday' }))).toBeNull();
    const message = fetched({});
    delete message.headers[RAW_HEADERS.receivedAt];
    expect(fromKafkaMessage(message)).toBeNull();
  });
});
