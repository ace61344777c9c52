import { describe, expect, it } from 'vitest';
import { rawLogBehind } from './raw-log-behind';

const where = { topic: 'cdp.raw', partition: 2 };

describe('a raw log gone back before what the decider committed', () => {
  it('is refused when the log ends before the commit, naming the partition and both offsets', () => {
    const error = rawLogBehind(where, 1200n, { logEnd: 3n });
    expect(error?.code).toBe('ERR_INGEST_RAW_LOG_BEHIND');
    expect(error?.retriable).toBe(false);
    expect(error?.message).toContain('cdp.raw/2 ends at 3, but the decider committed it up to 1200');
  });

  it('is refused when a record is read below the commit', () => {
    expect(rawLogBehind(where, 1200n, { readAt: 0n })?.message).toContain('gave a record at 0');
  });

  it('is refused when its first record is another than the one the decider read first', () => {
    expect(rawLogBehind(where, 2n, { otherFirst: true })?.message).toContain(
      'starts with another record than the one the decider read first there',
    );
  });

  it('passes a log that ends at or past the commit, or one never committed', () => {
    expect(rawLogBehind(where, 1200n, { logEnd: 1200n })).toBeNull();
    expect(rawLogBehind(where, 1200n, { logEnd: 5000n })).toBeNull();
    expect(rawLogBehind(where, 1200n, { readAt: 1200n })).toBeNull();
    expect(rawLogBehind(where, null, { logEnd: 0n })).toBeNull();
  });
});
