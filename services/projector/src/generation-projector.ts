import type { Kafka } from 'kafkajs';
import type { Db } from 'mongodb';
import type { TopicNames } from '@cdp/contracts';
import type { EventCodec } from '@cdp/kafka';
import type { Logger } from '@cdp/logging';
import { collectionsFor } from '@cdp/read-models';
import { createProgressWriter } from './progress-writer';
import { createProjector, type Projector, type ProjectorDeps } from './projector';
import { createReadModelWriter } from './read-model-writer';

export interface GenerationDeps {
  kafka: Kafka;
  db: Db;
  codec: EventCodec;
  topics: TopicNames;
  topicPrefix: string;
  log: Logger;
  metrics: ProjectorDeps['metrics'];
  maxAttempts?: number;
}

/** The consumer group of a generation: its offsets say how far that generation's collections are built. */
export const generationGroupId = (topicPrefix: string, suffix: string) =>
  `${topicPrefix}cdp-projector${suffix}`;

/** How many documents of each collection a rebuild's writer remembers (bounded memory). */
const REBUILD_REMEMBERED = 20_000;

/**
 * A projector writing one read-model generation (collections and progress named by its suffix).
 * `sole`: nothing else writes that generation (a rebuild), so the writer need not read back what it wrote.
 */
export async function createGenerationProjector(
  deps: GenerationDeps,
  suffix: string,
  opts: Pick<ProjectorDeps, 'strict' | 'onStrictFailure' | 'onCrash'> & { sole?: boolean } = {},
): Promise<Projector> {
  const collections = collectionsFor(suffix);
  const { sole, ...projectorOpts } = opts;
  const writer = createReadModelWriter(
    deps.db,
    collections,
    sole ? { sole: { remembered: REBUILD_REMEMBERED } } : {},
  );
  await writer.open();
  return createProjector({
    kafka: deps.kafka,
    db: deps.db,
    codec: deps.codec,
    writer,
    progress: createProgressWriter(deps.db, suffix),
    topics: deps.topics,
    groupId: generationGroupId(deps.topicPrefix, suffix),
    log: deps.log.child({ generation: suffix || 'initial' }),
    metrics: deps.metrics,
    collections,
    ...(deps.maxAttempts !== undefined && { maxAttempts: deps.maxAttempts }),
    ...projectorOpts,
  });
}
