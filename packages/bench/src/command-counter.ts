import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, MongoClient } from 'mongodb';

export interface CommandCounts {
  /** By command and collection (generation suffix dropped), e.g. `update customers`. */
  byName: Record<string, { count: number; statements: number; ms: number }>;
  total: number;
  /** Sum of command round trips; close to wall time when commands run one at a time. */
  busyMs: number;
}

/** The documents a write command carries (one per insert, update or delete); 1 for other commands. */
function statementsOf(command: Record<string, unknown>): number {
  for (const field of ['documents', 'updates', 'deletes']) {
    const list = command[field];
    if (Array.isArray(list)) return list.length;
  }
  return 1;
}

/** Counts the store commands a client sends (needs `monitorCommands: true`): where a projector's time goes. */
export function countCommands(client: MongoClient): { stop(): CommandCounts } {
  const byName: CommandCounts['byName'] = {};
  const keys = new Map<number, string>();
  let total = 0;
  let busyMs = 0;
  const entry = (name: string) => (byName[name] ??= { count: 0, statements: 0, ms: 0 });
  const started = (e: CommandStartedEvent) => {
    const target = e.command[e.commandName] as unknown;
    const collection = typeof target === 'string' ? ` ${target.replace(/_g\d+$/, '')}` : '';
    const key = `${e.commandName}${collection}`;
    keys.set(e.requestId, key);
    const counts = entry(key);
    counts.count += 1;
    counts.statements += statementsOf(e.command);
    total += 1;
  };
  const finished = (e: CommandSucceededEvent | CommandFailedEvent) => {
    entry(keys.get(e.requestId) ?? e.commandName).ms += e.duration;
    keys.delete(e.requestId);
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

/**
 * `update customers 0.40/ev 1.00ms ×25`: statements per event, mean time per statement and how many
 * commands carried them, busiest first.
 */
export function describeCommands(counts: CommandCounts, events: number): string {
  return Object.entries(counts.byName)
    .sort(([, a], [, b]) => b.ms - a.ms)
    .map(
      ([name, c]) =>
        `${name} ${(c.statements / events).toFixed(2)}/ev ${(c.ms / Math.max(1, c.statements)).toFixed(2)}ms ×${c.count}`,
    )
    .join('; ');
}
