import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, resolveInfra, type TestDb } from '@cdp/testing';
import { createStateStore, STATE_COLLECTION, type StateStore, type StoredState } from './state-store';

const RAW = 'haravan.raw.v1/0';

const stateAt = (offset: string, version: string): StoredState => ({
  state: { version, fingerprint: `f-${offset}`, fields: {}, deleted: false },
  lastDecision: { partition: 0, offset, events: [] },
});
/** The state as read back: with the raw partition it was decided in. */
const readAt = (offset: string, version: string, decidedIn = RAW): StoredState => ({
  ...stateAt(offset, version),
  decidedIn,
});

describe("the decider's state store", () => {
  let store: TestDb;
  let states: StateStore;

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'decider-state' });
    states = createStateStore(store.db);
  });
  afterAll(() => store?.cleanup());

  it("keeps a later record's state over an earlier one's, as a dropped instance may still write it", async () => {
    await states.putMany([['t:order:1', stateAt('12', '2026-11-02T00:00:00Z')]], RAW);
    await states.putMany(
      [
        ['t:order:1', stateAt('9', '2026-11-01T00:00:00Z')],
        ['t:order:2', stateAt('9', '2026-11-01T00:00:00Z')],
      ],
      RAW,
    );
    const read = await states.getMany(['t:order:1', 't:order:2']);
    expect(read.get('t:order:1')).toEqual(readAt('12', '2026-11-02T00:00:00Z'));
    expect(read.get('t:order:2')).toEqual(readAt('9', '2026-11-01T00:00:00Z'));

    // The same record again (re-read after a crash), and a later one.
    await states.putMany([['t:order:1', stateAt('12', '2026-11-02T00:00:00Z')]], RAW);
    await states.putMany([['t:order:1', stateAt('100', '2026-11-03T00:00:00Z')]], RAW);
    expect((await states.getMany(['t:order:1'])).get('t:order:1')).toEqual(
      readAt('100', '2026-11-03T00:00:00Z'),
    );
  });

  it('writes over a state decided from another raw topic, whose offsets started again', async () => {
    await states.putMany([['t:order:3', stateAt('900', '2026-11-02T00:00:00Z')]], RAW);
    await states.putMany([['t:order:3', stateAt('4', '2026-11-05T00:00:00Z')]], 'next.haravan.raw.v1/0');
    expect((await states.getMany(['t:order:3'])).get('t:order:3')).toEqual(
      readAt('4', '2026-11-05T00:00:00Z', 'next.haravan.raw.v1/0'),
    );
  });

  it('writes over a state stored before the guard existed', async () => {
    await store.db
      .collection<{ _id: string } & StoredState>(STATE_COLLECTION)
      .insertOne({ _id: 't:customer:1', ...stateAt('500', '2026-11-01T00:00:00Z') });
    await states.putMany([['t:customer:1', stateAt('7', '2026-11-04T00:00:00Z')]], RAW);
    expect((await states.getMany(['t:customer:1'])).get('t:customer:1')).toEqual(
      readAt('7', '2026-11-04T00:00:00Z'),
    );
  });
  it('refuses a stored document that is not a decider state, naming it, rather than deciding against it', async () => {
    await store.db
      .collection<{ _id: string; state: unknown }>(STATE_COLLECTION)
      .insertOne({ _id: 't:order:broken', state: { version: 7 } });
    const read = states.getMany(['t:order:broken']);
    await expect(read).rejects.toMatchObject({ code: 'ERR_INGEST_STATE_UNREADABLE', retriable: false });
    await expect(read).rejects.toThrow('t:order:broken');
  });
});
