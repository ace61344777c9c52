import type { ResourceKind, WebhookTopic } from './topics.js';
import { resourceOfTopic } from './topics.js';

/** One change the shop made, i.e. one webhook Haravan would send. */
export interface ChangeRecord {
  seq: number;
  topic: WebhookTopic;
  resource: ResourceKind;
  resourceId: number;
  /** The resource's `updated_at` after the change (for deletes: the time of deletion). */
  updatedAt: string;
}

/** A change plus the exact body Haravan would deliver for it, frozen at change time. */
export interface ChangeEvent {
  change: ChangeRecord;
  body: string;
}

export type ChangeListener = (event: ChangeEvent) => void;

export interface ChangeLog {
  record(topic: WebhookTopic, resourceId: number, updatedAt: string, body: () => string): void;
  all(): readonly ChangeRecord[];
  subscribe(listener: ChangeListener): () => void;
}

export function createChangeLog(): ChangeLog {
  const records: ChangeRecord[] = [];
  const listeners = new Set<ChangeListener>();
  return {
    record(topic, resourceId, updatedAt, body) {
      const change: ChangeRecord = {
        seq: records.length + 1,
        topic,
        resource: resourceOfTopic(topic),
        resourceId,
        updatedAt,
      };
      records.push(change);
      // Bodies are only serialised when someone listens: a 20k-order history needs no snapshots.
      if (listeners.size === 0) return;
      const event: ChangeEvent = { change, body: body() };
      for (const listener of listeners) listener(event);
    },
    all: () => records,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
