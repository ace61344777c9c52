import { describe, expect, it } from 'vitest';
import { topicNames } from '@cdp/contracts';
import { resolveInfra, uniqueName } from '@cdp/testing';
import { createEventCodec } from './event-codec';

describe('decoding events whose schema the registry cannot give', () => {
  it('fails for good on a schema id the registry does not know, so the event is parked instead of retried forever', async () => {
    const infra = await resolveInfra();
    const codec = await createEventCodec({
      registryUrl: infra.schemaRegistryUrl,
      topics: topicNames(`${uniqueName('codec')}.`),
    });
    // Confluent wire format: magic byte 0, the registry's schema id, then the Avro body.
    const value = Buffer.concat([Buffer.from([0]), Buffer.alloc(4), Buffer.from([2, 4, 6])]);
    value.writeUInt32BE(2_000_000_000, 1);

    const decoded = await codec.decode(value);

    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.error).toMatchObject({ code: 'ERR_CODEC_UNDECODABLE', retriable: false });
  });
});
