import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames, type DomainEvent } from '@cdp/contracts';
import { sampleEvents } from '@cdp/contracts/samples';
import { ownedSubjects, resolveInfra } from '@cdp/testing';
import { createEventCodec, type EventCodec } from './event-codec';

const owned = ownedSubjects();
afterAll(async () => owned.cleanup((await resolveInfra()).schemaRegistryUrl));

describe('decoding events whose schema the registry cannot give', () => {
  it('fails for good on a schema id the registry does not know, so the event is parked instead of retried forever', async () => {
    const infra = await resolveInfra();
    const codec = await createEventCodec({
      registryUrl: infra.schemaRegistryUrl,
      topics: topicNames(owned.topicPrefix('codec')),
    });
    // Confluent wire format: magic byte 0, the registry's schema id, then the Avro body.
    const value = Buffer.concat([Buffer.from([0]), Buffer.alloc(4), Buffer.from([2, 4, 6])]);
    value.writeUInt32BE(2_000_000_000, 1);

    const decoded = await codec.decode(value);

    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.error).toMatchObject({ code: 'ERR_CODEC_UNDECODABLE', retriable: false });
  });

  it('fails for good on bytes its schema does not read, so one bad record cannot hold the projector up forever', async () => {
    const codec = await createEventCodec({
      registryUrl: (await resolveInfra()).schemaRegistryUrl,
      topics: topicNames(owned.topicPrefix('codec')),
    });
    const value = await codec.encode(sampleEvents[0] as DomainEvent);

    for (const bad of [
      Buffer.concat([value, Buffer.from([1])]),
      value.subarray(0, value.length - 3),
      Buffer.from([1, 2]),
    ]) {
      const decoded = await codec.decode(bad);
      expect(!decoded.ok && decoded.error).toMatchObject({ code: 'ERR_CODEC_UNDECODABLE', retriable: false });
    }
  });

  it('fails to be retried while the registry cannot be reached, and encodes without it', async () => {
    const infra = await resolveInfra();
    const registry = new URL(infra.schemaRegistryUrl);
    // A TCP relay to the registry that the test can take away.
    const sockets = new Set<Socket>();
    const relay = createServer((client) => {
      const upstream = connect(Number(registry.port), registry.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const { port } = relay.address() as AddressInfo;
    const codec = await createEventCodec({
      registryUrl: `http://127.0.0.1:${port}${registry.pathname}`,
      topics: topicNames(owned.topicPrefix('codec')),
    });
    await new Promise<void>((resolve) => {
      relay.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
    const value = Buffer.concat([Buffer.from([0]), Buffer.alloc(4), Buffer.from([2, 4, 6])]);
    value.writeUInt32BE(2_000_000_001, 1);

    const decoded = await codec.decode(value);

    expect(!decoded.ok && decoded.error).toMatchObject({ code: 'ERR_CODEC_UNDECODABLE', retriable: true });
    await expect(codec.encode(sampleEvents[0] as DomainEvent)).resolves.toBeInstanceOf(Buffer);
  });
});

describe('encoding events the contract refuses', () => {
  it('fails for good, so the decider parks the record instead of retrying it forever', async () => {
    const infra = await resolveInfra();
    const codec = await createEventCodec({
      registryUrl: infra.schemaRegistryUrl,
      topics: topicNames(owned.topicPrefix('codec')),
    });
    const created = sampleEvents.find((e) => e.type === 'OrderCreated');
    if (created?.type !== 'OrderCreated') throw new Error('no sample OrderCreated');
    const [line] = created.data.order.lineItems;
    // Avro's int is 32 bits: a quantity beyond cannot be written.
    const tooBig = {
      ...created,
      data: { order: { ...created.data.order, lineItems: [{ ...line, quantity: 2 ** 40 }] } },
    } as DomainEvent;

    await expect(codec.encode(created)).resolves.toBeInstanceOf(Buffer);
    await expect(codec.encode(tooBig)).rejects.toMatchObject({
      code: 'ERR_CODEC_INVALID_EVENT',
      retriable: false,
    });
  });
});

describe('encoding events an earlier decision stored', () => {
  let codec: EventCodec;
  const created = sampleEvents.find((e) => e.type === 'OrderCreated');
  if (created?.type !== 'OrderCreated') throw new Error('no sample OrderCreated');

  beforeAll(async () => {
    codec = await createEventCodec({
      registryUrl: (await resolveInfra()).schemaRegistryUrl,
      topics: topicNames(owned.topicPrefix('codec')),
    });
  });

  it("writes one a newer release stored with a field this one does not know as this release's event", async () => {
    const newer = { ...created, data: { order: { ...created.data.order, giftMessage: 'Chúc mừng' } } };

    await expect(codec.encode(newer as DomainEvent)).rejects.toMatchObject({
      code: 'ERR_CODEC_INVALID_EVENT',
    });
    const decoded = await codec.decode(await codec.encodeStored(newer));
    expect(decoded).toEqual({ ok: true, value: await decodedOf(codec, created) });
  });

  it('still refuses one that breaks the contract as this release reads it', async () => {
    // A status this release has no word for: Avro carries it as a string, the contract refuses it.
    const broken = { ...created, data: { order: { ...created.data.order, financialStatus: 'on_hold' } } };
    await expect(codec.encodeStored(broken)).rejects.toMatchObject({ retriable: false });
    await expect(codec.encodeStored({ ...created, type: 'OrderShipped' })).rejects.toMatchObject({
      code: 'ERR_CODEC_UNKNOWN_TYPE',
    });
  });
});

/** An event as it reads back after a write. */
async function decodedOf(codec: EventCodec, event: DomainEvent) {
  const read = await codec.decode(await codec.encode(event));
  if (!read.ok) throw read.error;
  return read.value;
}
