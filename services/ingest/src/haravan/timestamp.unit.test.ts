import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTimestamp, timestampMs } from './timestamp';

describe('Haravan timestamps', () => {
  // A Vietnamese operator's host: a zone-less stamp read as local time would be 7 hours early.
  const hostZone = process.env.TZ;
  beforeEach(() => {
    process.env.TZ = 'Asia/Ho_Chi_Minh';
  });
  afterEach(() => {
    if (hostZone === undefined) delete process.env.TZ;
    else process.env.TZ = hostZone;
  });

  it('reads a stamp without a zone as UTC, whatever the host zone', () => {
    expect(parseTimestamp('2026-11-20T03:04:05')).toBe('2026-11-20T03:04:05.000Z');
    expect(timestampMs('2026-11-20T03:04:05')).toBe(Date.UTC(2026, 10, 20, 3, 4, 5));
  });

  it('reads offsets with or without minutes, any number of fraction digits, and spaces', () => {
    const instant = Date.UTC(2026, 10, 20, 3, 4, 5, 123);
    for (const stamp of [
      '2026-11-20T10:04:05.123+07:00',
      '2026-11-20T10:04:05.1234567+07',
      ' 2026-11-20 10:04:05.123 +0700 ',
      '2026-11-20T03:04:05.123Z',
    ])
      expect(timestampMs(stamp)).toBe(instant);
  });

  it('refuses what is no time', () => {
    expect(timestampMs('yesterday')).toBeNull();
    expect(timestampMs(1_700_000_000)).toBeNull();
    expect(timestampMs(undefined)).toBeNull();
  });
});
