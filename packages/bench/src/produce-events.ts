import type { Message } from 'kafkajs';
import { createEventCodec, type EventCodec } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import type { GenerationDeps } from '@cdp/projector';
import type { BenchInfra } from './bench-infra';
import { routeOf, syntheticEvents } from './synthetic-events';

const BATCH = 1000;
export const BENCH_TENANT = 'bench-tenant';

/** Encodes `total` synthetic events with the real codec and writes them to the domain topics. */
export async function produceEvents(bench: BenchInfra, codec: EventCodec, total: number): Promise<void> {
  const producer = bench.kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    let pending = new Map<string, Message[]>();
    let size = 0;
    const flush = async () => {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...pending].map(([topic, messages]) => ({ topic, messages })),
      });
      pending = new Map();
      size = 0;
    };
    for (const event of syntheticEvents(BENCH_TENANT, total)) {
      const { stream, key } = routeOf(event);
      const topic = bench.topics[stream];
      const list = pending.get(topic) ?? [];
      list.push({ key, value: await codec.encode(event) });
      pending.set(topic, list);
      if (++size >= BATCH) await flush();
    }
    if (size > 0) await flush();
  } finally {
    await producer.disconnect();
  }
}

/** What the projector needs, over the scenario's topics and database; metrics are dropped. */
export async function generationDepsFor(bench: BenchInfra): Promise<GenerationDeps> {
  return {
    kafka: bench.kafka,
    admin: bench.admin,
    db: bench.testDb.db,
    codec: await createEventCodec({ registryUrl: bench.infra.schemaRegistryUrl, topics: bench.topics }),
    topics: bench.topics,
    topicPrefix: bench.prefix,
    log: createLogger('bench-projector', 'warn'),
    metrics: { applied: () => undefined, lastAppliedAt: () => undefined },
  };
}
