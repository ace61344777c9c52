import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';
import type { Db } from 'mongodb';
import type { Logger } from '@cdp/logging';
import { collectionsFor, currentGeneration, type ReadModelCollections } from '@cdp/read-models';

export interface GenerationFollower {
  /** The request listener: the app of the generation live when the request arrived. */
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  generation: () => string;
  stop: () => void;
}

/**
 * Serves the live read-model generation. A rebuild (`pnpm replay`) switches the generation pointer
 * and the projector follows it onto the new collections; the read API must too, or it would keep
 * answering from collections nothing updates any more. A request in flight ends on its own app.
 */
export async function followGeneration(
  db: Db,
  build: (collections: ReadModelCollections) => Express,
  opts: { log: Logger; pollMs?: number },
): Promise<GenerationFollower> {
  let generation = await currentGeneration(db);
  let app = build(collectionsFor(generation));
  const timer = setInterval(() => {
    currentGeneration(db)
      .then((latest) => {
        if (latest === generation) return;
        opts.log.info({ from: generation, to: latest }, 'read-model generation switched; serving it');
        generation = latest;
        app = build(collectionsFor(latest));
      })
      .catch((error: unknown) => opts.log.warn({ err: error }, 'generation not read; serving the last one'));
  }, opts.pollMs ?? 2_000);
  timer.unref();
  return {
    handle: (req, res) => {
      app(req, res);
    },
    generation: () => generation,
    stop: () => clearInterval(timer),
  };
}
