import type { Producer, ProducerRecord } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { renewingProducer } from './renewing-producer';

/** kafkajs's producer factory, recording which producer took each send; `fails` decides a send's fate. */
function producers(fails: (n: number) => boolean) {
  const made: { id: number; sends: string[]; disconnected: boolean }[] = [];
  let sends = 0;
  const kafka = {
    producer: () => {
      const p = { id: made.length, sends: [] as string[], disconnected: false };
      made.push(p);
      return {
        connect: () => Promise.resolve(),
        disconnect: () => {
          p.disconnected = true;
          return Promise.resolve();
        },
        send: async (record: ProducerRecord) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          p.sends.push(String(record.messages[0]?.value));
          if (fails(sends++)) throw new Error('Request timed out');
          return [];
        },
      } as unknown as Producer;
    },
  };
  return { kafka, made };
}

const record = (value: string): ProducerRecord => ({ topic: 't', messages: [{ value }] });

describe('a renewing producer', () => {
  it('keeps one producer while sends succeed', async () => {
    const { kafka, made } = producers(() => false);
    const producer = renewingProducer(kafka, {});
    await producer.connect();
    await producer.send(record('a'));
    await producer.send(record('b'));
    expect(made.map((p) => p.sends)).toEqual([['a', 'b']]);
  });

  it('sends after a failed send through a new producer, the failed one disconnected', async () => {
    const { kafka, made } = producers((n) => n === 0);
    const producer = renewingProducer(kafka, {});
    await producer.connect();
    await expect(producer.send(record('a'))).rejects.toThrow('Request timed out');
    await producer.send(record('b'));
    expect(made.map(({ sends, disconnected }) => ({ sends, disconnected }))).toEqual([
      { sends: ['a'], disconnected: true },
      { sends: ['b'], disconnected: false },
    ]);
  });

  it('leaves no send queued on the producer being replaced', async () => {
    const { kafka, made } = producers((n) => n === 0);
    const producer = renewingProducer(kafka, {});
    const sent = [producer.send(record('a')), producer.send(record('b')), producer.send(record('c'))];
    const outcomes = await Promise.allSettled(sent);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(made.map((p) => p.sends)).toEqual([['a'], ['b', 'c']]);
  });

  it('disconnects at once, the send in flight ended, and takes no send after', async () => {
    let endSend: (error: Error) => void = () => undefined;
    const kafka = {
      producer: () =>
        ({
          connect: () => Promise.resolve(),
          // kafkajs ends a send in flight when its producer disconnects.
          disconnect: () => {
            endSend(new Error('Closed connection'));
            return Promise.resolve();
          },
          send: () => new Promise((_, reject) => (endSend = reject)),
        }) as unknown as Producer,
    };
    const producer = renewingProducer(kafka, {});
    const inFlight = producer.send(record('a'));
    await new Promise((resolve) => setTimeout(resolve, 1));
    await producer.disconnect();
    await expect(inFlight).rejects.toThrow('Closed connection');
    await expect(producer.send(record('b'))).rejects.toThrow('disconnected');
  });
});
