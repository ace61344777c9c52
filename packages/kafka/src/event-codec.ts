import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import {
  AppError,
  avroSchemaFor,
  domainEventSchema,
  eventCatalog,
  err,
  ok,
  type DomainEvent,
  type EventType,
  type Result,
  type TopicNames,
} from '@cdp/contracts';

export interface EventCodec {
  encode(event: DomainEvent): Promise<Buffer>;
  decode(value: Buffer): Promise<Result<DomainEvent>>;
}

/**
 * Avro through the registry, one subject per event type and topic (TopicRecordNameStrategy), each
 * BACKWARD_TRANSITIVE so every version ever written stays readable by a replay from offset 0.
 */
export async function createEventCodec(opts: {
  registryUrl: string;
  topics: TopicNames;
}): Promise<EventCodec> {
  const registry = new SchemaRegistry({ host: opts.registryUrl, clientId: 'cdp-haravan-sync' });
  const ids = new Map<EventType, number>();
  for (const type of Object.keys(eventCatalog) as EventType[]) {
    const schema = avroSchemaFor(type);
    const subject = `${opts.topics[eventCatalog[type].stream]}-${String(schema.namespace)}.${String(schema.name)}`;
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
      { subject, compatibility: COMPATIBILITY.BACKWARD_TRANSITIVE },
    );
    ids.set(type, id);
  }

  return {
    async encode(event) {
      // Never trust a `type` field alone: the whole event must parse before it is written.
      const parsed = domainEventSchema.parse(event);
      const id = ids.get(parsed.type);
      if (id === undefined)
        throw new AppError('ERR_CODEC_UNKNOWN_TYPE', `no schema for ${parsed.type}`, false);
      return registry.encode(id, parsed);
    },
    async decode(value) {
      let decoded: unknown;
      try {
        decoded = await registry.decode(value);
      } catch (cause) {
        const retriable = !(cause instanceof Error && /magic byte|invalid|truncated/i.test(cause.message));
        return err(
          new AppError('ERR_CODEC_UNDECODABLE', 'value does not decode with its registry schema', retriable, {
            cause,
          }),
        );
      }
      // avsc yields record class instances with enumerable helpers; the contract is about plain data.
      const parsed = domainEventSchema.safeParse(JSON.parse(JSON.stringify(decoded)));
      if (!parsed.success) {
        return err(
          new AppError(
            'ERR_CODEC_INVALID_EVENT',
            `decoded event breaks the contract: ${parsed.error.message}`,
            false,
          ),
        );
      }
      return ok(parsed.data);
    },
  };
}
