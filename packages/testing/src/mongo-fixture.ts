import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';
import { uniqueName } from './unique-name.js';

export interface TestDb {
  client: MongoClient;
  db: Db;
  dbName: string;
  /** Drops the database and closes the client; never throws. */
  cleanup: () => Promise<void>;
}

/**
 * Connects to `mongoUri` and returns a database with a unique name (created lazily on first
 * write, as usual for MongoDB/FerretDB). Call `cleanup` in afterAll/afterEach.
 */
export async function createTestDb(
  mongoUri: string,
  options: { prefix?: string; clientOptions?: MongoClientOptions } = {},
): Promise<TestDb> {
  const dbName = uniqueName(options.prefix ?? 'test').replace(/-/g, '_');
  const client = new MongoClient(mongoUri, {
    serverSelectionTimeoutMS: 10_000,
    ...options.clientOptions,
  });
  await client.connect();
  const db = client.db(dbName);
  return {
    client,
    db,
    dbName,
    cleanup: async () => {
      try {
        await db.dropDatabase();
      } catch (err) {
        console.warn(`createTestDb: could not drop database ${dbName}:`, err);
      } finally {
        await client.close().catch(() => undefined);
      }
    },
  };
}
