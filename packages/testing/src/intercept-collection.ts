import type { Collection, Db, Document } from 'mongodb';

/** What an intercepted collection answers for one of its members: `original` is the member as the driver has it. */
export type Interception = (member: string | symbol, original: unknown) => unknown;

/**
 * `db`, with collection `name`'s members asked for through `intercept`: the real store, with some
 * calls counted, held up or failed. Its methods stay bound to the collection.
 */
export function interceptCollection(db: Db, name: string, intercept: Interception): Db {
  return new Proxy(db, {
    get(target, key, receiver) {
      if (key !== 'collection') return Reflect.get(target, key, receiver) as unknown;
      return (collectionName: string) => {
        const collection: Collection<Document> = target.collection(collectionName);
        if (collectionName !== name) return collection;
        return new Proxy(collection, {
          get(inner, member) {
            const value = Reflect.get(inner, member) as unknown;
            return intercept(
              member,
              typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(inner) : value,
            );
          },
        });
      };
    },
  });
}
