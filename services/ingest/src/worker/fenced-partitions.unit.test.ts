import { describe, expect, it } from 'vitest';
import { createFencedPartitions, isFenced } from './fenced-partitions';

describe('raw partitions whose producer was fenced', () => {
  it('refuses a fenced partition, retriably, until the group assigns partitions again', () => {
    const fenced = createFencedPartitions();
    fenced.joined();
    const error = fenced.fenced(1);
    expect(error).toMatchObject({ code: 'ERR_DECIDER_FENCED', retriable: true });
    // kafkajs decides on a restart by the deepest cause: the broker's non-retriable answer is not one.
    expect(error.cause).toBeUndefined();
    expect(() => fenced.check(1)).toThrow(error.message);
    expect(() => fenced.check(0)).not.toThrow();
    fenced.joined();
    expect(() => fenced.check(1)).not.toThrow();
  });

  it("tells a fence from other failures, in kafkajs's wrapped errors too", () => {
    expect(isFenced({ type: 'INVALID_PRODUCER_EPOCH' })).toBe(true);
    expect(
      isFenced({ type: 'KAFKAJS_UNKNOWN_ERROR_CODE', code: -99, message: 'Unknown error code 90' }),
    ).toBe(true);
    expect(
      isFenced({ type: 'KAFKAJS_UNKNOWN_ERROR_CODE', code: -99, message: 'Unknown error code 91' }),
    ).toBe(false);
    expect(
      isFenced({ name: 'KafkaJSNumberOfRetriesExceeded', originalError: { type: 'INVALID_PRODUCER_EPOCH' } }),
    ).toBe(true);
    expect(isFenced(new Error('x', { cause: { type: 'INVALID_PRODUCER_EPOCH' } }))).toBe(true);
    expect(isFenced({ type: 'CONCURRENT_TRANSACTIONS' })).toBe(false);
    expect(isFenced(new Error('socket closed'))).toBe(false);
    expect(isFenced(null)).toBe(false);
  });
});
