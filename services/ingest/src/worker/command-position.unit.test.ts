import { describe, expect, it } from 'vitest';
import { lastSentPosition } from './command-position';

describe('where a push landed, from the broker answer to a transaction batch', () => {
  const sent = [
    { topicName: 'raw', partition: 1, errorCode: 0, baseOffset: '7' },
    { topicName: 'customers', partition: 2, errorCode: 0, baseOffset: '40' },
  ];

  it('is the last of the events sent to the topic: its base offset plus the events before it', () => {
    expect(lastSentPosition(sent, 'customers', 3)).toBe('customers/2/42');
    expect(lastSentPosition(sent, 'customers', 1)).toBe('customers/2/40');
  });

  it('is unknown when nothing went to the topic or the broker gave no offset', () => {
    expect(lastSentPosition(sent, 'orders', 1)).toBeNull();
    expect(lastSentPosition(sent, 'customers', 0)).toBeNull();
    expect(
      lastSentPosition([{ topicName: 'customers', partition: 0, errorCode: 0 }], 'customers', 1),
    ).toBeNull();
  });
});
