import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import { createLogger } from '@cdp/logging';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs behind one factory, so its logs go through pino and a client swap touches one package. */
export function createKafka(opts: { brokers: readonly string[]; clientId: string }): Kafka {
  const log = createLogger('kafkajs');
  return new Kafka({
    clientId: opts.clientId,
    brokers: [...opts.brokers],
    logLevel: logLevel.WARN,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        log[levels[level] ?? 'info'](rest, message);
      },
  });
}
