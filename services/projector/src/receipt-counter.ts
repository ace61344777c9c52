import type { Db } from 'mongodb';

interface Receipt {
  _id: string;
  offset: number;
  attempts: number;
}

/**
 * Counts deliveries when they are received, not when they succeed, so an event that kills the
 * process (and so never fails "cleanly") is still caught after a bounded number of tries.
 * One document per partition: the offset being worked on and how often it was received.
 */
export function createReceiptCounter(db: Db, collection: string) {
  const receipts = db.collection<Receipt>(collection);
  return {
    async receive(topic: string, partition: number, offset: number): Promise<number> {
      const _id = `${topic}/${partition}`;
      const current = await receipts.findOne({ _id });
      const attempts = current?.offset === offset ? current.attempts + 1 : 1;
      await receipts.updateOne({ _id }, { $set: { offset, attempts } }, { upsert: true });
      return attempts;
    },
  };
}
export type ReceiptCounter = ReturnType<typeof createReceiptCounter>;
