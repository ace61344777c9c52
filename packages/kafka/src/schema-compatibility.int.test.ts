import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { avroSchemaFor, eventTypes, type EventType } from '@cdp/contracts';
import { resolveInfra, uniqueName } from '@cdp/testing';
import { registerSchema, requireCompatibility } from './registry-subjects';

const publishedDir = fileURLToPath(new URL('../../../schemas/avro/published/', import.meta.url));

/** Every version of an event's schema ever released, oldest first (`<Type>.v<N>.avsc`). */
function publishedVersions(type: EventType): object[] {
  return readdirSync(publishedDir)
    .map((file) => /^(\w+)\.v(\d+)\.avsc$/.exec(file))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === type)
    .sort((a, b) => Number(a[2]) - Number(b[2]))
    .map((m) => JSON.parse(readFileSync(`${publishedDir}${m[0]}`, 'utf8')) as object);
}

/**
 * The CI check that a schema change keeps every released version readable: the registry replays
 * the released history under BACKWARD_TRANSITIVE, then must accept the schema in the working tree.
 */
describe('schema compatibility with every released version', () => {
  let registryUrl: string;

  beforeAll(async () => {
    registryUrl = (await resolveInfra()).schemaRegistryUrl;
  });

  const registerHistory = async (subject: string, history: object[]) => {
    for (const [i, schema] of history.entries()) {
      await registerSchema(registryUrl, subject, schema);
      if (i === 0) await requireCompatibility(registryUrl, subject, 'BACKWARD_TRANSITIVE');
    }
  };

  it.each(eventTypes)(
    '%s in the working tree is BACKWARD_TRANSITIVE-compatible with its releases',
    async (type) => {
      const history = publishedVersions(type);
      expect(history.length).toBeGreaterThan(0);
      const subject = uniqueName(`compat-${type.toLowerCase()}`);
      await registerHistory(subject, history);
      await expect(registerSchema(registryUrl, subject, avroSchemaFor(type))).resolves.toEqual(
        expect.any(Number),
      );
    },
  );

  it('fails a change that old events could not be read with', async () => {
    const subject = uniqueName('compat-breaking');
    await registerHistory(subject, publishedVersions('OrderCreated'));
    const current = avroSchemaFor('OrderCreated') as { fields: object[] };
    const breaking = { ...current, fields: [...current.fields, { name: 'mandatory', type: 'string' }] };
    await expect(registerSchema(registryUrl, subject, breaking)).rejects.toMatchObject({
      code: 'ERR_REGISTRY_INCOMPATIBLE',
    });
  });
});
