import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendAbortedTransaction,
  openPipelineFixture,
  type PipelineFixture,
} from './pipeline-fixture.test-helper';
import { readLogRanges } from './read-log-ranges';

describe('reading ranges of the log', { timeout: 60_000 }, () => {
  let fixture: PipelineFixture;

  beforeAll(async () => {
    fixture = await openPipelineFixture('read-log-ranges');
  });

  afterAll(async () => {
    await fixture?.cleanup();
  });

  it('ends a range that holds only an aborted transaction, which kafkajs hands no batch of', async () => {
    const { kafka, admin, topics } = fixture;
    const plain = kafka.producer();
    await plain.connect();
    await plain.send({ topic: topics.orders, messages: [{ key: 't1:1', value: 'kept' }] });
    await plain.disconnect();
    const end = await appendAbortedTransaction(fixture, topics.orders);

    const read: string[] = [];
    const collect = (_topic: string, _partition: number, message: { value: Buffer | null }) => {
      read.push(message.value?.toString() ?? '');
      return Promise.resolve();
    };
    const range = (from: number) => [{ topic: topics.orders, partition: 0, from, to: end }];
    await readLogRanges({ kafka, admin }, range(1), collect, { timeoutMs: 20_000 });
    expect(read).toEqual([]);
    await readLogRanges({ kafka, admin }, range(0), collect, { timeoutMs: 20_000 });
    expect(read).toEqual(['kept']);
  });

  it('fails a read that stands still for its idle time, rather than waiting for ever', async () => {
    const { kafka, admin, topics } = fixture;
    const plain = kafka.producer();
    await plain.connect();
    await plain.send({ topic: topics.customers, messages: [{ key: 't1:1', value: 'only' }] });
    await plain.disconnect();
    // Records past the log's end never come.
    const beyondTheEnd = [{ topic: topics.customers, partition: 0, from: 0, to: 5 }];
    await expect(
      readLogRanges({ kafka, admin }, beyondTheEnd, () => Promise.resolve(), { idleMs: 8_000 }),
    ).rejects.toMatchObject({ code: 'ERR_LOG_READ_STALLED', retriable: true });
  });
});
