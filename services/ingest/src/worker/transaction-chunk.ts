import type { Message } from 'kafkajs';

export interface ChunkLimits {
  /** Records in one run, whose states are read together and written in one transaction. */
  records: number;
  /** Sum of the messages' sizes a chunk stays within: far below Kafka's 1 MB message limit. */
  bytes: number;
}

export const defaultChunkLimits: ChunkLimits = { records: 100, bytes: 512 * 1024 };

/**
 * Consecutive records split into runs that may share a transaction: at most `max` records, at most
 * one per aggregate (key null: none), and an `alone` record in a run of its own. One per aggregate,
 * because an aggregate's stored decision is its last record's: a retried run then finds each
 * record's own decision, and sends the same events again.
 */
export function runsOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string | null,
  alone: (item: T) => boolean,
  max: number,
): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let keys = new Set<string>();
  const close = () => {
    if (run.length > 0) runs.push(run);
    run = [];
    keys = new Set();
  };
  for (const item of items) {
    const key = keyOf(item);
    if (alone(item) || run.length >= max || (key !== null && keys.has(key))) close();
    run.push(item);
    if (key !== null) keys.add(key);
    if (alone(item)) close();
  }
  close();
  return runs;
}

/** A message's bytes as the broker counts them against its limit, near enough: key, value and headers. */
const sizeOf = (messages: readonly { message: Message }[]) =>
  messages.reduce((sum, { message }) => {
    const headers = Object.entries(message.headers ?? {}).reduce(
      (n, [name, value]) => n + name.length + String(value ?? '').length,
      0,
    );
    return sum + lengthOf(message.key) + lengthOf(message.value) + headers;
  }, 0);

const lengthOf = (data: Buffer | string | null | undefined) =>
  data === null || data === undefined ? 0 : typeof data === 'string' ? Buffer.byteLength(data) : data.length;

/** What a run's decided records write: their messages, by topic in record order, and their states. */
export function createTransactionChunk<R, S>(limits: Pick<ChunkLimits, 'bytes'> = defaultChunkLimits) {
  let records: R[] = [];
  let states: [string, S][] = [];
  let byTopic = new Map<string, Message[]>();
  let lastOffset: string | null = null;
  let bytes = 0;

  return {
    add(
      record: R,
      offset: string,
      messages: readonly { topic: string; message: Message }[],
      state: [string, S] | null,
    ) {
      records.push(record);
      if (state) states.push(state);
      lastOffset = offset;
      for (const { topic, message } of messages) {
        const list = byTopic.get(topic) ?? [];
        list.push(message);
        byTopic.set(topic, list);
      }
      bytes += sizeOf(messages);
    },
    /** Whether adding `messages` would take a chunk that holds some past the size limit. */
    wouldOverflow: (messages: readonly { topic: string; message: Message }[]) =>
      records.length > 0 && bytes + sizeOf(messages) > limits.bytes,
    records: (): readonly R[] => records,
    states: (): readonly [string, S][] => states,
    topicMessages: () => [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    /** The last record's offset; null when empty. */
    lastOffset: () => lastOffset,
    clear() {
      records = [];
      states = [];
      byTopic = new Map();
      lastOffset = null;
      bytes = 0;
    },
  };
}
export type TransactionChunk<R, S> = ReturnType<typeof createTransactionChunk<R, S>>;
