import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { avroSchemaFor } from './avro-schemas';
import { eventTypes, schemaVersions } from './domain-event';

const publishedDir = fileURLToPath(new URL('../../../schemas/avro/published/', import.meta.url));

/** The newest released `<Type>.v<N>.avsc` of an event type. */
function newestPublished(type: string): { version: number; schema: unknown } {
  const versions = readdirSync(publishedDir)
    .map((file) => /^(\w+)\.v(\d+)\.avsc$/.exec(file))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === type)
    .map((m) => Number(m[2]));
  const version = Math.max(...versions);
  return { version, schema: JSON.parse(readFileSync(`${publishedDir}${type}.v${version}.avsc`, 'utf8')) };
}

describe('released schema versions', () => {
  it.each(eventTypes)(
    '%s: the newest published schema is the one in the working tree, with its version',
    (type) => {
      const newest = newestPublished(type);
      expect(newest.schema).toEqual(avroSchemaFor(type));
      expect(schemaVersions[type]).toBe(newest.version);
    },
  );
});
