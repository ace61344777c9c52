import type { Admin, Kafka } from 'kafkajs';
import type { Db } from 'mongodb';
import type { TopicNames } from '@cdp/contracts';
import type { EventCodec } from '@cdp/kafka';
import type { Logger } from '@cdp/logging';
import { collectionsFor, projectedTopics, recordFormatIfNew } from '@cdp/read-models';
import type { LargeBuyers } from './large-buyers';
import { expiredOffsetsToRestore } from './expired-offsets';
import { refuseLogsBehindProgress } from './logs-behind-progress';
import { createProgressWriter } from './progress-writer';
import { createProjector, type Projector, type ProjectorDeps } from './projector';
import {
  createReadModelWriter,
  type ReadModelWriter,
  type ReadModelWriterOptions,
} from './read-model-writer';

export interface GenerationDeps {
  kafka: Kafka;
  /** Connected. */
  admin: Admin;
  db: Db;
  codec: EventCodec;
  topics: TopicNames;
  topicPrefix: string;
  log: Logger;
  metrics: ProjectorDeps['metrics'];
  maxAttempts?: number;
  groupTimeouts?: ProjectorDeps['groupTimeouts'];
  /** Where buyers' order counts are watched as they are written. */
  largeBuyers?: LargeBuyers;
  /** Entries a profile lists itself before they move to shards (`ReadModelWriterOptions`). */
  inlineEntries?: number;
  /** The live projector's writer lease still holds (`ProjectorDeps.mayWrite`). */
  mayWrite?: () => boolean;
}

/** The consumer group of a generation: its offsets say how far that generation's collections are built. */
export const generationGroupId = (topicPrefix: string, suffix: string) =>
  `${topicPrefix}cdp-projector${suffix}`;

/** How many documents of each collection a rebuild's writer remembers (bounded memory). */
const REBUILD_REMEMBERED = 20_000;
/** How many changed buyer entries a rebuild keeps before writing them (~150 bytes each). */
const REBUILD_PENDING_ENTRIES = 100_000;

function projectorOf(
  deps: GenerationDeps,
  suffix: string,
  writer: ReadModelWriter,
  opts: Pick<ProjectorDeps, 'strict' | 'onStrictFailure' | 'onCrash' | 'startAt'>,
): Projector {
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
    collections: collectionsFor(suffix),
    ...(deps.maxAttempts !== undefined && { maxAttempts: deps.maxAttempts }),
    ...(deps.groupTimeouts && { groupTimeouts: deps.groupTimeouts }),
    ...(deps.mayWrite && { mayWrite: deps.mayWrite }),
    ...opts,
  });
}

/**
 * What a generation's projector starts from: its logs checked against its progress, where its
 * consumer reads on if its group lost its offsets, its format recorded, and its writer opened.
 */
async function openGeneration(deps: GenerationDeps, suffix: string, sole?: ReadModelWriterOptions['sole']) {
  const topics = projectedTopics(deps.topics);
  await refuseLogsBehindProgress(deps.kafka, deps.db, suffix, topics);
  const startAt = await expiredOffsetsToRestore(
    deps,
    generationGroupId(deps.topicPrefix, suffix),
    suffix,
    topics,
  );
  await recordFormatIfNew(deps.db, suffix);
  const writer = createReadModelWriter(deps.db, collectionsFor(suffix), {
    buyerOrders: deps.largeBuyers?.seen,
    inlineEntries: deps.inlineEntries,
    ...(sole && { sole }),
  });
  await writer.open();
  return { writer, startAt };
}

/** A projector writing one read-model generation (collections and progress named by its suffix). */
export async function createGenerationProjector(
  deps: GenerationDeps,
  suffix: string,
  opts: Pick<ProjectorDeps, 'onCrash'> = {},
): Promise<Projector> {
  const { writer, startAt } = await openGeneration(deps, suffix);
  return projectorOf(deps, suffix, writer, { ...opts, startAt });
}

/**
 * A rebuild's projector: strict, and the sole writer of its generation, so it need not read back
 * what it wrote. `settleBuyers`, once it stopped, writes the buyers' entries and totals it kept.
 */
export async function createRebuildProjector(
  deps: GenerationDeps,
  suffix: string,
  opts: Pick<ProjectorDeps, 'onStrictFailure' | 'onCrash'>,
): Promise<{ projector: Projector; settleBuyers: ReadModelWriter['settleBuyers'] }> {
  const { writer, startAt } = await openGeneration(deps, suffix, {
    remembered: REBUILD_REMEMBERED,
    pendingEntries: REBUILD_PENDING_ENTRIES,
  });
  return {
    projector: projectorOf(deps, suffix, writer, { ...opts, strict: true, startAt }),
    settleBuyers: (stopped) => writer.settleBuyers(stopped),
  };
}
