import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { avroSchemaFor, eventTypes, topicNames, type EventType } from '@cdp/contracts';
import { sampleEvents } from '@cdp/contracts/samples';
import { ownedSubjects, resolveInfra } from '@cdp/testing';
import { createEventCodec } from './event-codec';
import { registerSchema, requireCompatibility } from './registry-subjects';

const owned = ownedSubjects();
afterAll(async () => owned.cleanup((await resolveInfra()).schemaRegistryUrl));

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
 * The CI check that a schema change keeps every released version readable, and stays readable by
 * them: the registry replays the released history under FULL_TRANSITIVE, then must accept the
 * schema in the working tree. Backward, a replay from offset 0 decodes; forward, a release may
 * write before the projector and other consumers are upgraded (the topic catalog says so). The
 * registry itself holds BACKWARD_TRANSITIVE.
 */
describe('schema compatibility with every released version', () => {
  let registryUrl: string;

  beforeAll(async () => {
    registryUrl = (await resolveInfra()).schemaRegistryUrl;
  });

  const registerHistory = async (subject: string, history: object[]) => {
    for (const [i, schema] of history.entries()) {
      await registerSchema(registryUrl, subject, schema);
      if (i === 0) await requireCompatibility(registryUrl, subject, 'FULL_TRANSITIVE');
    }
  };

  it.each(eventTypes)(
    '%s in the working tree is FULL_TRANSITIVE-compatible with its releases',
    async (type) => {
      const history = publishedVersions(type);
      expect(history.length).toBeGreaterThan(0);
      const subject = owned.subject(`compat-${type.toLowerCase()}`);
      await registerHistory(subject, history);
      await expect(registerSchema(registryUrl, subject, avroSchemaFor(type))).resolves.toEqual(
        expect.any(Number),
      );
    },
  );

  it('fails a change that old events could not be read with', async () => {
    const subject = owned.subject('compat-breaking');
    await registerHistory(subject, publishedVersions('OrderCreated'));
    const current = avroSchemaFor('OrderCreated') as { fields: object[] };
    const breaking = { ...current, fields: [...current.fields, { name: 'mandatory', type: 'string' }] };
    await expect(registerSchema(registryUrl, subject, breaking)).rejects.toMatchObject({
      code: 'ERR_REGISTRY_INCOMPATIBLE',
    });
  });

  it('fails a change that older releases could not read its events with', async () => {
    const subject = owned.subject('compat-removing');
    await registerHistory(subject, publishedVersions('OrderCreated'));
    const current = avroSchemaFor('OrderCreated') as { fields: { name: string }[] };
    // Readable backward (a reader ignores what it does not know), not forward: older readers need it.
    const removing = { ...current, fields: current.fields.filter((f) => f.name !== 'metadata') };
    await expect(registerSchema(registryUrl, subject, removing)).rejects.toMatchObject({
      code: 'ERR_REGISTRY_INCOMPATIBLE',
    });
  });
});

/**
 * What a replay from offset 0 meets: events written with each released version, read through the
 * codec into the contract of the working tree (fields added since take their defaults).
 */
describe('events written with every released version', () => {
  it.each(eventTypes)('%s: each version decodes into the current contract', async (type) => {
    const { schemaRegistryUrl } = await resolveInfra();
    const codec = await createEventCodec({
      registryUrl: schemaRegistryUrl,
      topics: topicNames(owned.topicPrefix('replay')),
    });
    const writer = new SchemaRegistry({ host: schemaRegistryUrl });
    const sample = sampleEvents.find((e) => e.type === type);
    if (!sample) throw new Error(`no sample ${type}`);
    for (const [i, schema] of publishedVersions(type).entries()) {
      const id = await registerSchema(
        schemaRegistryUrl,
        owned.subject(`replay-${type.toLowerCase()}-v${i + 1}`),
        schema,
      );
      const written = await writer.encode(id, {
        ...sample,
        metadata: { ...sample.metadata, schemaVersion: i + 1 },
      });

      const read = await codec.decode(written);

      expect(read.ok, `${type} v${i + 1}: ${read.ok ? '' : read.error.message}`).toBe(true);
      expect(read.ok && read.value.type).toBe(type);
    }
  });
});

/**
 * What a projector or CDP service meets while a newer release is deployed ahead of it: events with
 * fields it does not know, added with defaults as the catalog allows.
 */
describe('events written by a newer release', () => {
  it('decode into this release contract, without the fields it does not know', async () => {
    const { schemaRegistryUrl } = await resolveInfra();
    const codec = await createEventCodec({
      registryUrl: schemaRegistryUrl,
      topics: topicNames(owned.topicPrefix('newer')),
    });
    const current = avroSchemaFor('OrderCreated') as { fields: object[] };
    const newer = {
      ...current,
      fields: [...current.fields, { name: 'note', type: ['null', 'string'], default: null }],
    };
    const subject = owned.subject('newer-ordercreated');
    await registerSchema(schemaRegistryUrl, subject, current);
    await requireCompatibility(schemaRegistryUrl, subject, 'BACKWARD_TRANSITIVE');
    const id = await registerSchema(schemaRegistryUrl, subject, newer);
    const sample = sampleEvents.find((e) => e.type === 'OrderCreated');
    if (!sample) throw new Error('no sample OrderCreated');
    const written = await new SchemaRegistry({ host: schemaRegistryUrl }).encode(id, {
      ...sample,
      note: 'giao giờ hành chính',
    });

    const read = await codec.decode(written);

    expect(read.ok, read.ok ? '' : read.error.message).toBe(true);
    expect(read.ok && read.value).toEqual(sample);
  });
});
