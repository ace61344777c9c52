import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@cdp/logging';
import { createLease } from '@cdp/mongo';
import { createTestDb, resolveInfra, waitFor, type TestDb } from '@cdp/testing';
import { createGenerationProjector } from './generation-projector';
import {
  appliedOrders,
  openPipelineFixture,
  produceOrders,
  type PipelineFixture,
} from './pipeline-fixture.test-helper';
import { holdLease } from './writer-lease';

// Long enough that a loaded CI machine does not stall a renewal past it.
const TTL = 1_500;
const log = createLogger('writer-lease-test', 'silent');

describe('one projector writes at a time', { timeout: 30_000 }, () => {
  let store: TestDb;

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'writer_lease' });
  });
  afterAll(() => store?.cleanup());

  const leaseOf = (holder: string) =>
    createLease({ db: store.db, collection: 'projector_leases', holder, ttlMs: TTL, now: Date.now });

  it('keeps a second process standing by until the first lets go', async () => {
    const first = await holdLease(leaseOf('a'), 'live', { log, onLost: () => undefined });
    let secondHolds = false;
    const second = holdLease(leaseOf('b'), 'live', { log, onLost: () => undefined }).then((held) => {
      secondHolds = true;
      return held;
    });
    try {
      // Renewed, the first one's lease never lapses, however long the second waits.
      await new Promise((resolve) => setTimeout(resolve, TTL * 3));
      expect(secondHolds).toBe(false);
    } finally {
      // Let go however the wait ended: the second then holds it, and lets go too.
      await first?.release();
      await (await second)?.release();
    }
    expect(secondHolds).toBe(true);
  });

  it('takes a lease it could not renew for two thirds of its ttl for lapsed, and held again once renewed', async () => {
    let storeDown = false;
    const real = leaseOf('a');
    const lease = {
      ...real,
      acquire: (key: string) => (storeDown ? Promise.reject(new Error('down')) : real.acquire(key)),
    };
    const held = await holdLease(lease, 'lapsing', { log, onLost: () => undefined });
    try {
      expect(held?.writable()).toBe(true);
      storeDown = true;
      await waitFor(() => Promise.resolve(held?.writable() === false), {
        timeoutMs: 10_000,
        description: 'the lease to be taken for lapsed',
      });
      storeDown = false;
      await waitFor(() => Promise.resolve(held?.writable() === true), {
        timeoutMs: 10_000,
        description: 'the renewed lease to be writable again',
      });
    } finally {
      await held?.release();
    }
  });

  it('tells the holder when another process took the lease, so it stops writing', async () => {
    let lost = false;
    const held = await holdLease(leaseOf('a'), 'lost', { log, onLost: () => (lost = true) });
    // What a takeover after this process stalled past the ttl leaves in the store. A renewal in
    // flight can overwrite it (FerretDB's update is query-then-write; see createLease), so it is
    // repeated until the holder has met one.
    const takeOver = () =>
      store.db
        .collection<{ _id: string }>('projector_leases')
        .updateOne({ _id: 'lost' }, { $set: { holder: 'b', expiresAt: Date.now() + 60_000 } });
    try {
      await waitFor(async () => lost || (await takeOver(), false), {
        timeoutMs: 10_000,
        description: 'the lost lease to be noticed',
      });
    } finally {
      await held?.release();
    }
  });
});

describe('a projector whose writer lease may have lapsed', { timeout: 90_000 }, () => {
  let fixture: PipelineFixture;

  beforeAll(async () => {
    fixture = await openPipelineFixture('lease-lapsed');
  });
  afterAll(() => fixture?.cleanup());

  it('writes nothing until its lease is renewed, then all it was given', async () => {
    let writable = false;
    const projector = await createGenerationProjector({ ...fixture.deps, mayWrite: () => writable }, '');
    await projector.start();
    try {
      await produceOrders(fixture, ['7101', '7102']);
      // Long enough for the events to be fetched and applied, were writes allowed.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(await appliedOrders(fixture)).toBeUndefined();
      writable = true;
      await waitFor(async () => (await appliedOrders(fixture)) === 1, {
        timeoutMs: 30_000,
        description: 'both events applied once the lease holds',
      });
    } finally {
      await projector.stop();
    }
  });
});
