import { createBloomFilter, type BloomFilter } from './bloom-filter';
import { createLruMap } from './lru-map';

export type Recalled<T> = { known: true; doc: T | null } | { known: false };

/**
 * What the sole writer of a collection wrote, so that it need not read documents back: an id it
 * never wrote is certainly absent (a Bloom filter of fixed size), the latest documents it wrote are
 * remembered (a bounded LRU), anything else must be read from the store. Only valid while nobody
 * else writes the collection — a rebuild's new generation. Memory stays bounded whatever the size.
 */
export function createWrittenDocuments<T>(capacity: number, written: BloomFilter = createBloomFilter()) {
  const latest = createLruMap<T>(capacity);
  return {
    recall(id: string): Recalled<T> {
      if (!written.mightHave(id)) return { known: true, doc: null };
      const doc = latest.get(id);
      return doc === undefined ? { known: false } : { known: true, doc };
    },
    /** After a write succeeded: the document is now exactly this. */
    remember(id: string, doc: T): void {
      written.add(id);
      latest.set(id, doc);
    },
    /** A write that may or may not have happened (it failed, or met something unexpected). */
    forget(id: string): void {
      written.add(id);
      latest.delete(id);
    },
  };
}
export type WrittenDocuments<T> = ReturnType<typeof createWrittenDocuments<T>>;

/** What a writer without such a memory (a live projector) knows of a document: nothing. */
export const recallFrom = <T>(memory: WrittenDocuments<T> | undefined, id: string): Recalled<T> =>
  memory?.recall(id) ?? { known: false };
