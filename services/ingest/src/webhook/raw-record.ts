import { createHash } from 'node:crypto';

/**
 * `webhook-test`: a delivery Haravan marked `X-Haravan-Test` (sample data, never a real change).
 * `sweep`: a record the deletion sweep found listed and read back although it was deleted.
 */
const RAW_SOURCES = ['webhook', 'webhook-test', 'poll', 'order-embedded', 'cdp', 'sweep'] as const;
export type RawSource = (typeof RAW_SOURCES)[number];
const isRawSource = (value: string | undefined): value is RawSource =>
  (RAW_SOURCES as readonly (string | undefined)[]).includes(value);

/** One accepted delivery or polled record, kept byte for byte in the raw topic. */
export interface RawRecord {
  key: string;
  body: Buffer;
  tenantId: string;
  haravanTopic: string;
  orgId: string;
  source: RawSource;
  receivedAt: string;
  /** The push command whose Haravan answer this is (source `cdp`): the decider tells it where the change landed. */
  commandId?: string;
}

export const RAW_HEADERS = {
  tenantId: 'x-tenant-id',
  topic: 'x-haravan-topic',
  orgId: 'x-haravan-org-id',
  source: 'x-source',
  receivedAt: 'x-received-at',
  deliveryId: 'x-delivery-id',
  commandId: 'x-command-id',
} as const;

/** Haravan sends no delivery id, so the same topic and bytes are taken to be the same delivery. */
export const deliveryId = (record: Pick<RawRecord, 'tenantId' | 'haravanTopic' | 'body'>): string =>
  createHash('sha256')
    .update(`${record.tenantId}\n${record.haravanTopic}\n`)
    .update(record.body)
    .digest('hex')
    .slice(0, 32);

export function toKafkaMessage(record: RawRecord) {
  return {
    key: record.key,
    value: record.body,
    headers: {
      [RAW_HEADERS.tenantId]: record.tenantId,
      [RAW_HEADERS.topic]: record.haravanTopic,
      [RAW_HEADERS.orgId]: record.orgId,
      [RAW_HEADERS.source]: record.source,
      [RAW_HEADERS.receivedAt]: record.receivedAt,
      [RAW_HEADERS.deliveryId]: deliveryId(record),
      ...(record.commandId !== undefined && { [RAW_HEADERS.commandId]: record.commandId }),
    },
  };
}

/** A raw record as the raw log wrote it; null when its headers are missing or not what it writes. */
export function fromKafkaMessage(message: {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}): RawRecord | null {
  const header = (name: string): string | undefined => {
    const value = message.headers?.[name];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  };
  const tenantId = header(RAW_HEADERS.tenantId);
  const haravanTopic = header(RAW_HEADERS.topic);
  const source = header(RAW_HEADERS.source);
  // The source decides whether a record is decided at all, and the receipt time dates deletions.
  const receivedAt = header(RAW_HEADERS.receivedAt);
  if (!tenantId || !haravanTopic || !isRawSource(source) || !message.value) return null;
  if (receivedAt === undefined || Number.isNaN(Date.parse(receivedAt))) return null;
  const commandId = header(RAW_HEADERS.commandId);
  return {
    key: message.key?.toString() ?? '',
    body: message.value,
    tenantId,
    haravanTopic,
    orgId: header(RAW_HEADERS.orgId) ?? '',
    source,
    receivedAt,
    ...(commandId !== undefined && { commandId }),
  };
}
