import type { Binary, Db } from 'mongodb';
import { inWireFormat, type RenewingProducer } from '@cdp/kafka';
import type { ReadModelCollections } from '@cdp/read-models';

export interface ParkedEvent {
  /** `topic/partition/offset` of the original record. */
  _id: string;
  topic: string;
  partition: number;
  offset: number;
  key: string;
  value: Binary | null;
  headers: Record<string, string>;
  reason: string;
  parkedAt: string;
}

interface ParkedKey {
  _id: string;
  topic: string;
  key: string;
  reason: string;
  since: string;
}

export interface RecordToPark {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, unknown>;
}

const headerText = (headers: Record<string, unknown> = {}): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString() : String(v)]),
  );

/**
 * Where events go that cannot be applied. Parking is per key: once one of a key's events is
 * parked, the key's later events are parked behind it (their order matters), while every other
 * key keeps flowing. Records are kept in the dead-letter topic (the durable audit trail) and in
 * the store (the working set that can be listed and replayed).
 */
export function createParkingLot(
  db: Db,
  producer: Pick<RenewingProducer, 'send'>,
  deadLetterTopic: string,
  names: Pick<ReadModelCollections, 'parkedEvents' | 'parkedKeys'>,
) {
  const events = db.collection<ParkedEvent>(names.parkedEvents);
  const keys = db.collection<ParkedKey>(names.parkedKeys);
  const parked = new Set<string>();
  const keyId = (topic: string, key: string) => `${topic}/${key}`;

  return {
    async load(): Promise<void> {
      for (const doc of await keys.find({}).toArray()) parked.add(doc._id);
      // A crash between an event's record and its key's (`park`) leaves the event parked alone: its
      // key is parked too, or its events would flow again past it, and a replay apply it late.
      const alone = await events.find({}, { projection: { topic: 1, key: 1, reason: 1 } }).toArray();
      for (const { _id, topic, key, reason } of alone) {
        const id = keyId(topic, key);
        if (parked.has(id)) continue;
        await keys.updateOne(
          { _id: id },
          { $setOnInsert: { topic, key, reason, since: _id } },
          { upsert: true },
        );
        parked.add(id);
      }
    },
    isParked: (topic: string, key: string) => parked.has(keyId(topic, key)),
    async park(record: RecordToPark, reason: string): Promise<void> {
      const key = record.key?.toString() ?? '';
      const origin = `${record.topic}/${record.partition}/${record.offset}`;
      const headers = {
        ...headerText(record.headers),
        'x-dlq-reason': reason,
        'x-dlq-origin': origin,
        // The raw records the decider parks share the topic: a reader tells the two apart by this.
        'x-dlq-format': inWireFormat(record.value) ? 'avro' : 'unknown',
      };
      await producer.send({
        topic: deadLetterTopic,
        acks: -1,
        messages: [{ key: record.key, value: record.value, headers }],
      });
      await events.updateOne(
        { _id: origin },
        {
          $setOnInsert: {
            topic: record.topic,
            partition: record.partition,
            offset: Number(record.offset),
            key,
            value: record.value as unknown as Binary | null,
            headers,
            reason,
            parkedAt: new Date().toISOString(),
          },
        },
        { upsert: true },
      );
      await keys.updateOne(
        { _id: keyId(record.topic, key) },
        { $setOnInsert: { topic: record.topic, key, reason, since: origin } },
        { upsert: true },
      );
      parked.add(keyId(record.topic, key));
    },
    list: (filter: { topic?: string; key?: string } = {}) =>
      events.find(filter).sort({ topic: 1, partition: 1, offset: 1 }).toArray(),
    /** The parked events of one key, oldest first, for a replay; the key flows again once they are applied. */
    async take(topic: string, key: string): Promise<ParkedEvent[]> {
      return events.find({ topic, key }).sort({ offset: 1 }).toArray();
    },
    async release(topic: string, key: string, applied: ParkedEvent[]): Promise<void> {
      for (const event of applied) await events.deleteOne({ _id: event._id });
      if ((await events.countDocuments({ topic, key })) === 0) {
        await keys.deleteOne({ _id: keyId(topic, key) });
        parked.delete(keyId(topic, key));
      }
    },
  };
}
export type ParkingLot = ReturnType<typeof createParkingLot>;
