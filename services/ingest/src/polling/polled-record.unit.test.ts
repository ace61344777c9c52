import { describe, expect, it } from 'vitest';
import { createLogger } from '@cdp/logging';
import { MAX_WEBHOOK_BODY_BYTES } from '../webhook/body-limit';
import type { RawRecord } from '../webhook/raw-record';
import { fitsRawTopic } from './polled-record';

const record = (bytes: number): RawRecord => ({
  key: 'shop:order:1',
  body: Buffer.alloc(bytes, 'x'),
  tenantId: 'shop',
  haravanTopic: 'orders/updated',
  orgId: '1',
  source: 'sweep',
  receivedAt: '2026-12-01T00:00:00.000Z',
});

describe('a polled record for the raw topic', () => {
  const log = createLogger('test', 'silent');

  it('fits up to the largest body a raw record carries', () => {
    expect(fitsRawTopic(record(MAX_WEBHOOK_BODY_BYTES), log)).toBe(true);
  });

  it('is left out past it, which Kafka would refuse on every try', () => {
    expect(fitsRawTopic(record(MAX_WEBHOOK_BODY_BYTES + 1), log)).toBe(false);
  });
});
