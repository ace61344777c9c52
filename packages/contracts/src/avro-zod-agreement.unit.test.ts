import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { avroSchemaFor } from './avro-schemas';
import { eventCatalog, eventTypes } from './domain-event';
import { sampleEvents } from './sample-events';

type Shape =
  | { kind: 'string' | 'int' | 'boolean' }
  | { kind: 'nullable'; of: Shape }
  | { kind: 'array'; of: Shape }
  | { kind: 'record'; fields: Record<string, Field> };

/** A record field: its shape, and the default a reader gives it when the writer had no such field. */
type Field = Shape & { default?: unknown };

type Json = Record<string, unknown>;

function fromAvro(node: unknown, named: Map<string, Json>): Shape {
  if (typeof node === 'string') {
    if (node === 'string' || node === 'int' || node === 'boolean') return { kind: node };
    const ref = named.get(node) ?? named.get(node.split('.').pop() ?? '');
    if (!ref) throw new Error(`unknown Avro type ${node}`);
    return fromAvro(ref, named);
  }
  if (Array.isArray(node)) {
    const rest = node.filter((branch) => branch !== 'null');
    if (rest.length !== 1 || node.length !== 2) throw new Error('only ["null", T] unions are used');
    return { kind: 'nullable', of: fromAvro(rest[0], named) };
  }
  const schema = node as Json;
  if (schema.type === 'array') return { kind: 'array', of: fromAvro(schema.items, named) };
  if (schema.type === 'record') {
    named.set(String(schema.name), schema);
    if (schema.namespace) named.set(`${schema.namespace as string}.${schema.name as string}`, schema);
    const fields: Record<string, Field> = {};
    for (const field of schema.fields as Json[])
      fields[String(field.name)] = {
        ...fromAvro(field.type, named),
        ...('default' in field && { default: field.default }),
      };
    return { kind: 'record', fields };
  }
  return fromAvro(schema.type, named);
}

function fromJsonSchema(node: Json): Shape {
  const branches = (node.anyOf ?? node.oneOf) as Json[] | undefined;
  if (branches) {
    const rest = branches.filter((b) => b.type !== 'null');
    if (rest.length !== 1 || rest[0] === undefined) throw new Error('only nullable unions are used');
    return { kind: 'nullable', of: fromJsonSchema(rest[0]) };
  }
  if (Array.isArray(node.type)) {
    const rest = (node.type as string[]).filter((t) => t !== 'null');
    if (rest.length !== 1) throw new Error('only nullable unions are used');
    return { kind: 'nullable', of: fromJsonSchema({ ...node, type: rest[0] }) };
  }
  switch (node.type) {
    case 'string':
      return { kind: 'string' };
    case 'integer':
      return { kind: 'int' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array':
      return { kind: 'array', of: fromJsonSchema(node.items as Json) };
    case 'object': {
      const properties = node.properties as Record<string, Json>;
      const required = new Set(node.required as string[]);
      const fields: Record<string, Field> = {};
      for (const [name, property] of Object.entries(properties)) {
        if (!required.has(name)) throw new Error(`${name} is optional; Avro fields here are all required`);
        fields[name] = {
          ...fromJsonSchema(property),
          ...('default' in property && { default: property.default }),
        };
      }
      return { kind: 'record', fields };
    }
    default:
      throw new Error(`unmapped JSON Schema type ${JSON.stringify(node.type)}`);
  }
}

describe('Avro schemas and zod contracts', () => {
  it.each(eventTypes)('%s has the same fields, types, nullability and defaults in both', (type) => {
    const avroShape = fromAvro(avroSchemaFor(type), new Map());
    const zodShape = fromJsonSchema(z.toJSONSchema(eventCatalog[type].schema, { io: 'output' }));
    expect(avroShape).toEqual(zodShape);
  });

  it.each(eventTypes)('%s survives an Avro round trip unchanged and still parses', (type) => {
    const avroType = avro.Type.forSchema(avroSchemaFor(type) as avro.Schema);
    for (const event of sampleEvents.filter((e) => e.type === type)) {
      const decoded: unknown = avroType.fromBuffer(avroType.toBuffer(event));
      expect(eventCatalog[type].schema.parse(JSON.parse(JSON.stringify(decoded)))).toEqual(event);
    }
  });

  it('has a sample of every event type', () => {
    expect(new Set(sampleEvents.map((e) => e.type))).toEqual(new Set(eventTypes));
  });
});
