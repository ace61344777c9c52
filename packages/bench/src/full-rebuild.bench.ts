import type { AnyBulkWriteOperation, Db, Document } from 'mongodb';
import { rebuild, generationGroupId, type GenerationDeps } from '@cdp/projector';
import { collectionsFor } from '@cdp/read-models';
import { openBenchInfra, type BenchInfra } from './bench-infra';
import { countCommands, describeCommands } from './command-counter';
import { measureRate, rateOf, type Rate } from './measure-rate';
import { generationDepsFor, produceEvents } from './produce-events';
import type { BenchResult } from './result';
import type { BenchScale } from './scale';

const TARGET = 0.8;
const BULK_BATCH = 500;
const CONSUME_TIMEOUT_MS = 10 * 60_000;

/** Baseline: the bare consume rate of the domain topics (no decoding), join time included as in a rebuild. */
async function rawConsumeRate(bench: BenchInfra, total: number): Promise<Rate> {
  const groupId = `${bench.prefix}bench-raw-consume`;
  bench.groups.add(groupId);
  const consumer = bench.kafka.consumer({ groupId, allowAutoTopicCreation: false });
  try {
    return await measureRate(async () => {
      await consumer.connect();
      await consumer.subscribe({
        topics: [bench.topics.orders, bench.topics.customers, bench.topics.products],
        fromBeginning: true,
      });
      let seen = 0;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`raw consume saw ${seen}/${total} in time`)),
          CONSUME_TIMEOUT_MS,
        );
        void consumer
          .run({
            eachBatch: async ({ batch }) => {
              seen += batch.messages.length;
              if (seen >= total) {
                clearTimeout(timer);
                resolve();
              }
              return Promise.resolve();
            },
          })
          .catch(reject);
      });
      return seen;
    });
  } finally {
    await consumer.disconnect();
  }
}

/** Baseline: the same final documents upserted by _id with the bare driver, in batches. */
async function bulkWriteRate(db: Db, suffix: string): Promise<Rate> {
  const built = collectionsFor(suffix);
  const fresh = collectionsFor('_bench_bulk');
  let written = 0;
  let seconds = 0;
  for (const kind of ['orders', 'customers', 'products'] as const) {
    const docs = await db.collection(built[kind]).find({}).toArray();
    const target = db.collection(fresh[kind]);
    const rate = await measureRate(async () => {
      for (let i = 0; i < docs.length; i += BULK_BATCH) {
        const ops: AnyBulkWriteOperation<Document>[] = docs.slice(i, i + BULK_BATCH).map((doc) => ({
          replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true },
        }));
        await target.bulkWrite(ops, { ordered: false });
      }
      return docs.length;
    });
    written += rate.count;
    seconds += rate.seconds;
  }
  return rateOf(written, seconds);
}

async function timedRebuild(bench: BenchInfra, deps: GenerationDeps) {
  const result = await rebuild(
    { ...deps, admin: bench.admin },
    {
      switchWhenDone: false,
      restart: true,
      pollMs: 200,
    },
  );
  bench.groups.add(generationGroupId(bench.prefix, result.suffix));
  if (result.status !== 'built') throw new Error(`rebuild ended ${JSON.stringify(result)}`);
  return result;
}

/** `rebuild()` over M domain events against bare consume and bare bulk upsert of the same data. */
export async function fullRebuildBench(scale: BenchScale): Promise<BenchResult[]> {
  const total = scale.rebuildEvents;
  const bench = await openBenchInfra('bench-rebuild', { monitorCommands: true });
  try {
    const deps = await generationDepsFor(bench);
    await produceEvents(bench, deps.codec, total);

    const counter = countCommands(bench.testDb.client);
    const result = await timedRebuild(bench, deps);
    const commands = counter.stop();
    const rebuilt = rateOf(result.events, result.seconds);

    console.log(
      `  rebuild: ${rebuilt.perSecond.toFixed(1)} events/s; ${describeCommands(commands, result.events)}`,
    );
    const consume = await rawConsumeRate(bench, total);
    const bulk = await bulkWriteRate(bench.testDb.db, result.suffix);
    const baseline = Math.min(consume.perSecond, bulk.perSecond);
    const ratio = rebuilt.perSecond / baseline;
    const perEvent = (n: number | undefined) => (n ?? 0) / result.events;
    return [
      {
        scenario: 'full rebuild',
        unit: 'events/s',
        measured: rebuilt.perSecond,
        baseline,
        baselineLabel: consume.perSecond <= bulk.perSecond ? 'raw consume' : 'raw bulkWrite',
        ratio,
        target: `>= ${TARGET}`,
        pass: ratio >= TARGET,
        details: {
          events: result.events,
          rebuildSec: result.seconds,
          rawConsumePerSec: consume.perSecond,
          rawBulkWriteDocsPerSec: bulk.perSecond,
          bulkDocs: bulk.count,
          storeCommandsPerEvent: perEvent(commands.total),
          storeCommands: describeCommands(commands, result.events),
          storeBusyShare: commands.busyMs / 1000 / result.seconds,
        },
      },
    ];
  } finally {
    await bench.cleanup();
  }
}
