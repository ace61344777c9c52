import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
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
import { registerSchema, requireCompatibility } from './registry-subjects';
import { inWireFormat } from './wire-format';

/** What the codec needs of the registry client's avsc types. */
interface AvroType {
  name?: string | undefined;
  fromBuffer(buffer: Buffer, resolver?: unknown): unknown;
  createResolver(writer: AvroType): unknown;
}

export interface EventCodec {
  encode(event: DomainEvent): Promise<Buffer>;
  /**
   * An event an earlier decision stored, maybe by another release (a rolling deploy, a rollback):
   * one this release's contract refuses is written in this release's schema (fields it does not
   * know dropped, defaults filled) and read back through the contract, rather than refused for a
   * field added after it.
   */
  encodeStored(event: unknown): Promise<Buffer>;
  decode(value: Buffer): Promise<Result<DomainEvent>>;
}

/** Services starting together may see a subject between its first version and its level being set. */
async function withRetries<T>(attempt: () => Promise<T>): Promise<T> {
  const tries = 5;
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= tries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * i));
    }
  }
}

/**
 * Only a registry that cannot be reached or is failing may get better. A schema id it does not know
 * (404, or 422) and data that is not what the schema says (avsc's "invalid …") never will: the
 * event is parked, or a rebuild fails. Any other answer is retried: the HTTP client reports a
 * refused or broken connection as a 400.
 */
function registryMayRecover(cause: unknown): boolean {
  const status = (cause as { status?: unknown }).status;
  if (typeof status === 'number') return status !== 404 && status !== 422;
  return !(cause instanceof Error && /invalid/i.test(cause.message));
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
    const subject = `${opts.topics[eventCatalog[type].stream]}-${schema.namespace as string}.${schema.name as string}`;
    ids.set(
      type,
      await withRetries(async () => {
        // Registered over plain REST: the client's own register() expects a 404 for a new
        // subject's config, where Apicurio answers with the global level.
        const id = await registerSchema(opts.registryUrl, subject, schema);
        await requireCompatibility(opts.registryUrl, subject, 'BACKWARD_TRANSITIVE');
        return id;
      }),
    );
  }

  // Fetched once now, so no write ever waits on the registry (or fails for it being away). They
  // are also what every event is read into, whichever version wrote it.
  const readers = new Map<string, { id: number; type: AvroType }>();
  for (const id of ids.values()) {
    const type = (await withRetries(() => registry.getSchema(id))) as unknown as AvroType;
    if (type.name !== undefined) readers.set(type.name, { id, type });
  }
  const resolvers = new Map<number, unknown>();

  /**
   * Bytes of any version of an event read as this release's version: an older one takes the
   * defaults of fields added since, a newer one (written by a release deployed first) loses the
   * fields this release does not know, instead of being refused for them.
   */
  function read(id: number, writer: AvroType, body: Buffer): unknown {
    const reader = writer.name === undefined ? undefined : readers.get(writer.name);
    if (!reader || reader.id === id) return writer.fromBuffer(body);
    let resolver = resolvers.get(id);
    if (resolver === undefined) {
      resolver = reader.type.createResolver(writer);
      resolvers.set(id, resolver);
    }
    return reader.type.fromBuffer(body, resolver);
  }

  /** `type`'s schema of the registry writing `data`; no schema is as good as a failure for good. */
  async function write(type: string, data: unknown): Promise<Buffer> {
    const id = ids.get(type as EventType);
    if (id === undefined) throw new AppError('ERR_CODEC_UNKNOWN_TYPE', `no schema for ${type}`, false);
    try {
      return await registry.encode(id, data);
    } catch (cause) {
      throw new AppError(
        'ERR_CODEC_UNENCODABLE',
        `${type} does not encode with its registry schema`,
        registryMayRecover(cause),
        { cause },
      );
    }
  }

  const codec: EventCodec = {
    async encode(event) {
      // Never trust a `type` field alone: the whole event must parse before it is written.
      const parsed = domainEventSchema.safeParse(event);
      if (!parsed.success)
        throw new AppError(
          'ERR_CODEC_INVALID_EVENT',
          `event breaks the contract: ${parsed.error.message}`,
          false,
        );
      return write(parsed.data.type, parsed.data);
    },
    async encodeStored(event) {
      const parsed = domainEventSchema.safeParse(event);
      if (parsed.success) return codec.encode(parsed.data);
      const value = await write(String((event as { type?: unknown } | null)?.type), event);
      const read = await codec.decode(value);
      if (!read.ok) throw read.error;
      return value;
    },
    async decode(value) {
      if (!inWireFormat(value))
        return err(new AppError('ERR_CODEC_UNDECODABLE', 'value is not in the registry wire format', false));
      const id = value.readUInt32BE(1);
      let schema: AvroType;
      try {
        schema = (await registry.getSchema(id)) as unknown as AvroType;
      } catch (cause) {
        return err(
          new AppError(
            'ERR_CODEC_UNDECODABLE',
            `schema ${id} not read from the registry`,
            registryMayRecover(cause),
            {
              cause,
            },
          ),
        );
      }
      let decoded: unknown;
      try {
        decoded = read(id, schema, value.subarray(5));
      } catch (cause) {
        // The schema is at hand: bytes it does not read (trailing data included), or a version this
        // release cannot read, never will be.
        return err(
          new AppError(
            'ERR_CODEC_UNDECODABLE',
            `value does not decode with its registry schema ${id} as this release reads it: ${String(cause)}`,
            false,
            { cause },
          ),
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
  return codec;
}
