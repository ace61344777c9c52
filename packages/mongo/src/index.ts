import { MongoClient, type Db } from 'mongodb';

export type { Db, MongoClient } from 'mongodb';

/**
 * The driver options that keep us inside what both MongoDB and FerretDB support: no retryable
 * writes (FerretDB is a standalone), short server selection so an outage surfaces quickly.
 */
export async function connectMongo(uri: string, dbName: string): Promise<{ client: MongoClient; db: Db }> {
  const client = new MongoClient(uri, {
    retryWrites: false,
    serverSelectionTimeoutMS: 5_000,
    // A store that stops answering mid-operation must surface as an error (retried, then /readyz),
    // never as a call that hangs forever; the longest writes (a rebuild's units) take seconds.
    socketTimeoutMS: 120_000,
    maxPoolSize: 20,
  });
  await client.connect();
  return { client, db: client.db(dbName) };
}

export { isDuplicateKey } from './duplicate-key';
export { bulk } from './bulk-write';
export { createLease, type Lease, type LeaseDoc } from './lease';
export { createIdReader, type IdReader } from './id-reader';
