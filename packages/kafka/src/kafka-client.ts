import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import { createLogger } from '@cdp/logging';
import { pinoLevelOf } from './kafkajs-log-level';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

/**
 * kafkajs behind one factory, so its logs go through pino and a client swap touches one package.
 * `logLevel`: the service's validated LOG_LEVEL (tests and benchmarks take the environment's).
 */
export function createKafka(opts: {
  brokers: readonly string[];
  clientId: string;
  logLevel?: string;
}): Kafka {
  const log = createLogger('kafkajs', opts.logLevel);
  return new Kafka({
    clientId: opts.clientId,
    brokers: [...opts.brokers],
    logLevel: logLevel.WARN,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        log[pinoLevelOf(level, entry)](rest, message);
      },
  });
}
