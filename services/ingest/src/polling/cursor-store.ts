import type { Collection, Db } from 'mongodb';
import { isDuplicateKey } from '@cdp/mongo';
import type { PolledResource, SyncCursor } from '@cdp/contracts';

interface CursorDoc {
  _id: string;
  cursor: SyncCursor;
  updatedAt: Date;
}

/** One document per tenant and resource in `sync_cursors`; its only writer is the tenant's scheduler. */
export interface CursorStore {
  /** The stored cursor, or `fresh` stored as the first one. */
  loadOrCreate(fresh: SyncCursor): Promise<SyncCursor>;
  save(cursor: SyncCursor): Promise<void>;
  list(tenantId: string): Promise<SyncCursor[]>;
}

const docId = (tenantId: string, resource: PolledResource) => `${tenantId}:${resource}`;

export function createCursorStore(db: Db): CursorStore {
  const docs: Collection<CursorDoc> = db.collection('sync_cursors');
  return {
    async loadOrCreate(fresh) {
      const _id = docId(fresh.tenantId, fresh.resource);
      const found = await docs.findOne({ _id });
      if (found) return found.cursor;
      try {
        await docs.insertOne({ _id, cursor: fresh, updatedAt: new Date() });
        return fresh;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const raced = await docs.findOne({ _id });
        return raced ? raced.cursor : fresh;
      }
    },
    async save(cursor) {
      await docs.updateOne(
        { _id: docId(cursor.tenantId, cursor.resource) },
        { $set: { cursor, updatedAt: new Date() } },
        { upsert: true },
      );
    },
    async list(tenantId) {
      const found = await docs.find({ 'cursor.tenantId': tenantId }).toArray();
      return found.map((doc) => doc.cursor);
    },
  };
}
