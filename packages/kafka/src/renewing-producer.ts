import type { Kafka, Producer, ProducerConfig, ProducerRecord, RecordMetadata } from 'kafkajs';

/** An idempotent producer that is replaced after any send that failed. */
export interface RenewingProducer {
  connect(): Promise<void>;
  send(record: ProducerRecord): Promise<RecordMetadata[]>;
  disconnect(): Promise<void>;
}

/**
 * kafkajs rolls an idempotent producer's sequence numbers back when a send fails, though the
 * broker may have appended the batch (acks=all timed out on a lagging replica): the next batch
 * would reuse them, and the broker would take it for that one's duplicate and drop it while
 * answering success, or refuse every later send as out of sequence. A new producer id starts its
 * sequences afresh. Sends go one at a time, so none is left on the producer being replaced.
 */
export function renewingProducer(kafka: Pick<Kafka, 'producer'>, config: ProducerConfig): RenewingProducer {
  let current: Producer | null = null;
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function connected(): Promise<Producer> {
    if (closed) throw new Error('the producer is disconnected');
    if (current) return current;
    const made = kafka.producer({ ...config, idempotent: true });
    await made.connect();
    if (closed) {
      await made.disconnect();
      throw new Error('the producer is disconnected');
    }
    current = made;
    return made;
  }

  async function sendNow(record: ProducerRecord): Promise<RecordMetadata[]> {
    const producer = await connected();
    try {
      return await producer.send(record);
    } catch (error) {
      current = null;
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const done = tail.then(work, work);
    tail = done.catch(() => undefined);
    return done;
  };

  return {
    connect: () => serially(async () => void (await connected())),
    send: (record) => serially(() => sendNow(record)),
    // At once, not in turn behind the send in flight (kafkajs's own disconnect still waits for the
    // broker's answer to what it sent: a caller with a deadline bounds it).
    disconnect: async () => {
      closed = true;
      const producer = current;
      current = null;
      await producer?.disconnect();
    },
  };
}
