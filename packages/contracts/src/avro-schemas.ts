import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EventType } from './domain-event';

/** The hand-written Avro schemas under the repo's `schemas/avro/` are the registry's source of truth. */
const avroDir = fileURLToPath(new URL('../../../schemas/avro/', import.meta.url));

export type AvroSchema = string | AvroSchema[] | { [key: string]: unknown };

const readJson = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

function loadNamedTypes(): Map<string, Record<string, unknown>> {
  const named = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(`${avroDir}types`).filter((f) => f.endsWith('.avsc'))) {
    const schema = readJson(`${avroDir}types/${file}`);
    named.set(`${schema.namespace as string}.${schema.name as string}`, schema);
  }
  return named;
}

/**
 * Avro defines a named type once per schema and refers to it by name afterwards, so the first
 * reference to a shared type is replaced by its definition and later ones stay names.
 */
function inline(
  node: AvroSchema,
  named: Map<string, Record<string, unknown>>,
  defined: Set<string>,
): AvroSchema {
  if (typeof node === 'string') {
    const definition = named.get(node);
    if (!definition || defined.has(node)) return node;
    defined.add(node);
    return inline(structuredClone(definition), named, defined);
  }
  if (Array.isArray(node)) return node.map((branch) => inline(branch, named, defined));
  const out: Record<string, unknown> = { ...node };
  if (Array.isArray(node.fields)) {
    out.fields = (node.fields as Record<string, unknown>[]).map((field) => ({
      ...field,
      type: inline(field.type as AvroSchema, named, defined),
    }));
  }
  if (node.items !== undefined) out.items = inline(node.items as AvroSchema, named, defined);
  return out;
}

const cache = new Map<EventType, Record<string, unknown>>();

/** The self-contained Avro schema registered for one event type. */
export function avroSchemaFor(type: EventType): Record<string, unknown> {
  let schema = cache.get(type);
  if (!schema) {
    schema = inline(readJson(`${avroDir}events/${type}.avsc`), loadNamedTypes(), new Set()) as Record<
      string,
      unknown
    >;
    cache.set(type, schema);
  }
  return schema;
}
