import { describe, expect, it } from 'vitest';
import { sampleOrder } from '@cdp/contracts/samples';
import { toOrderDoc } from './order-doc';

describe("an order document's created time", () => {
  it('is kept in UTC toISOString form, which sorts as text as in time, whatever offset the snapshot has', () => {
    const at = (createdAt: string) =>
      toOrderDoc('t', { ...sampleOrder, createdAt }, false, { partition: 0, offset: 0 }).createdAt;

    expect(at('2025-03-01T07:00:00+07:00')).toBe('2025-03-01T00:00:00.000Z');
    expect(at('2025-03-01T00:30:00Z')).toBe('2025-03-01T00:30:00.000Z');
    expect(at('2025-03-01T07:00:00+07:00') < at('2025-03-01T00:30:00Z')).toBe(true);
  });
});
