import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, MongoClient } from 'mongodb';

export interface CommandCounts {
  byName: Record<string, { count: number; ms: number }>;
  total: number;
  /** Sum of command round trips; close to wall time when commands run one at a time. */
  busyMs: number;
}

/** Counts the store commands a client sends (needs `monitorCommands: true`): where a projector's time goes. */
export function countCommands(client: MongoClient): { stop(): CommandCounts } {
  const byName: CommandCounts['byName'] = {};
  let total = 0;
  let busyMs = 0;
  const entry = (name: string) => (byName[name] ??= { count: 0, ms: 0 });
  const started = (e: CommandStartedEvent) => {
    entry(e.commandName).count += 1;
    total += 1;
  };
  const finished = (e: CommandSucceededEvent | CommandFailedEvent) => {
    entry(e.commandName).ms += e.duration;
    busyMs += e.duration;
  };
  client.on('commandStarted', started);
  client.on('commandSucceeded', finished);
  client.on('commandFailed', finished);
  return {
    stop() {
      client.off('commandStarted', started);
      client.off('commandSucceeded', finished);
      client.off('commandFailed', finished);
      return { byName, total, busyMs };
    },
  };
}

/** `find 2.0/ev 3.1ms, update 3.0/ev 1.2ms`: commands per event and mean round trip, busiest first. */
export function describeCommands(counts: CommandCounts, events: number): string {
  return Object.entries(counts.byName)
    .sort(([, a], [, b]) => b.ms - a.ms)
    .map(
      ([name, c]) =>
        `${name} ${(c.count / events).toFixed(2)}/ev ${(c.ms / Math.max(1, c.count)).toFixed(1)}ms`,
    )
    .join('; ');
}
