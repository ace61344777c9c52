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

  it('disconnects without waiting its turn behind the send in flight, and takes no send after', async () => {
    const answered: string[] = [];
    let answer: () => void = () => undefined;
    const kafka = {
      producer: () =>
        ({
          connect: () => Promise.resolve(),
          disconnect: () => {
            answered.push('disconnected');
            return Promise.resolve();
          },
          // The broker holds the send until the test answers it.
          send: () => new Promise<[]>((resolve) => (answer = () => resolve([]))),
        }) as unknown as Producer,
    };
    const producer = renewingProducer(kafka, {});
    const inFlight = producer.send(record('a'));
    await new Promise((resolve) => setTimeout(resolve, 1));
    await producer.disconnect();
    expect(answered).toEqual(['disconnected']);
    answer();
    await inFlight;
    await expect(producer.send(record('b'))).rejects.toThrow('disconnected');
  });

  it('disconnects a producer whose connect a disconnect overtook, and refuses its send', async () => {
    const states: string[] = [];
    let connected: () => void = () => undefined;
    const kafka = {
      producer: () =>
        ({
          connect: () => new Promise<void>((resolve) => (connected = resolve)),
          disconnect: () => {
            states.push('disconnected');
            return Promise.resolve();
          },
          send: () => {
            states.push('sent');
            return Promise.resolve([]);
          },
        }) as unknown as Producer,
    };
    const producer = renewingProducer(kafka, {});
    const send = producer.send(record('a'));
    await new Promise((resolve) => setTimeout(resolve, 1));
    await producer.disconnect();
    connected();
    await expect(send).rejects.toThrow('disconnected');
    expect(states).toEqual(['disconnected']);
  });
});
