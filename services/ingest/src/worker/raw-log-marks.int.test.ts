import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, interceptCollection, resolveInfra, type TestDb } from '@cdp/testing';
import { createRawLogMarks, RAW_LOG_MARKS_COLLECTION } from './raw-log-marks';

const RAW = 'haravan.raw.v1';

describe("the decider's raw log marks", () => {
  let store: TestDb;

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'raw-marks' });
  });
  afterAll(() => store?.cleanup());

  it('has none for a partition never committed', async () => {
    expect(await createRawLogMarks(store.db).through(RAW, 7)).toBeNull();
  });

  it('records a commit at most once per interval per partition', async () => {
    let now = 0;
    const marks = createRawLogMarks(store.db, { everyMs: 1_000, now: () => now });
    await marks.passed(RAW, 0, 10n);
    await marks.passed(RAW, 1, 3n);
    now = 999;
    await marks.passed(RAW, 0, 20n);
    expect(await marks.through(RAW, 0)).toBe(10n);
    expect(await marks.through(RAW, 1)).toBe(3n);
    now = 1_000;
    await marks.passed(RAW, 0, 30n);
    expect(await marks.through(RAW, 0)).toBe(30n);
  });

  it('writes on flush the commits it held back, so a stop leaves them exact', async () => {
    const marks = createRawLogMarks(store.db, { everyMs: 60_000 });
    await marks.passed(RAW, 4, 10n);
    await marks.passed(RAW, 4, 25n);
    await marks.passed(RAW, 5, 7n);
    expect(await marks.through(RAW, 4)).toBe(10n);
    await marks.flush();
    expect(await marks.through(RAW, 4)).toBe(25n);
    expect(await marks.through(RAW, 5)).toBe(7n);
  });

  it('keeps the highest commit when an instance dropped from the group records a lower one', async () => {
    const owner = createRawLogMarks(store.db);
    const dropped = createRawLogMarks(store.db);
    await owner.passed(RAW, 2, 500n);
    await dropped.passed(RAW, 2, 480n);
    expect(await owner.through(RAW, 2)).toBe(500n);
  });

  it('tells of a mark it could not write, and writes the next without waiting out the interval', async () => {
    const errors: unknown[] = [];
    let refusing = true;
    const db = interceptCollection(store.db, RAW_LOG_MARKS_COLLECTION, (member, original) =>
      member === 'updateOne' && refusing
        ? () => {
            refusing = false;
            return Promise.reject(new Error('the store is away'));
          }
        : original,
    );
    const marks = createRawLogMarks(db, { onError: (error) => errors.push(error) });
    await marks.passed(RAW, 3, 40n);
    expect(errors).toHaveLength(1);
    await marks.passed(RAW, 3, 41n);
    expect(await marks.through(RAW, 3)).toBe(41n);
  });
});
