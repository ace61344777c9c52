import { err, ok, type Result } from '@cdp/contracts';
import { invalidPayload } from './invalid-payload';
import { toId } from './lenient';
import { otherKindOf } from './other-kind-fields';
import { resourceIdOf } from './resource-id';
import { parseTimestamp } from './timestamp';
import type { HaravanResource, TopicMeaning } from './topic-catalog';
import { isRecord, unwrap } from './unwrap';

export interface SnapshotHeader {
  id: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * What a Haravan snapshot must carry to be decided on: a numeric id, and valid created and updated
 * times (its version), and no field only another resource kind has (an order's body would
 * otherwise be decided as a customer). Every other field is read leniently, so this is all of "the
 * shape of its topic": the normalisers start here, and the webhook route checks only this.
 */
export function snapshotHeader(record: unknown, resource: HaravanResource): Result<SnapshotHeader> {
  // Three fields read directly: a zod object copies every other key of a 5 KB order, on each webhook.
  if (!isRecord(record)) return err(invalidPayload(`${resource} payload is not an object`));
  const id = toId(record['id']);
  const createdAt = parseTimestamp(record['created_at']);
  const updatedAt = parseTimestamp(record['updated_at']);
  if (id === null) return err(invalidPayload(`${resource} payload has no numeric id`));
  if (createdAt === null || updatedAt === null)
    return err(invalidPayload(`${resource} ${id} has no valid created_at/updated_at`));
  const otherKind = otherKindOf(record, resource);
  if (otherKind !== null) return err(invalidPayload(`${resource} ${id} ${otherKind}`));
  return ok({ id, createdAt, updatedAt });
}

/**
 * Whether a body is the shape of its topic, as the decider will read it: a deletion needs the
 * resource's id, any other topic the snapshot header. Answers the id.
 */
export function topicShape(kind: TopicMeaning, payload: unknown): Result<string> {
  if (kind.deletion) {
    const id = resourceIdOf(payload);
    return id === null ? err(invalidPayload(`${kind.resource} payload has no numeric id`)) : ok(id);
  }
  const head = snapshotHeader(unwrap(payload, kind.resource), kind.resource);
  return head.ok ? ok(head.value.id) : head;
}
