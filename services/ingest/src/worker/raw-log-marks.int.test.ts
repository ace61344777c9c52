import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, interceptCollection, resolveInfra, type TestDb } from '@cdp/testing';
import { createRawLogMarks, RAW_LOG_MARKS_COLLECTION, type RawLogMarks } from './raw-log-marks';

const RAW = 'haravan.raw.v1';

const throughOf = async (marks: RawLogMarks, partition: number) =>
  (await marks.read(RAW, partition))?.through ?? null;

describe("the decider's raw log marks", () => {
  let store: TestDb;

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'raw-marks' });
  });
  afterAll(() => store?.cleanup());

  it('has none for a partition never read', async () => {
    expect(await createRawLogMarks(store.db).read(RAW, 7)).toBeNull();
  });

  it('records a commit at most once per interval per partition', async () => {
    let now = 0;
    const marks = createRawLogMarks(store.db, { everyMs: 1_000, now: () => now });
    await marks.passed(RAW, 0, 10n);
    await marks.passed(RAW, 1, 3n);
    now = 999;
    await marks.passed(RAW, 0, 20n);
    expect(await throughOf(marks, 0)).toBe(10n);
    expect(await throughOf(marks, 1)).toBe(3n);
    now = 1_000;
    await marks.passed(RAW, 0, 30n);
    expect(await throughOf(marks, 0)).toBe(30n);
  });

  it('writes on flush the commits it held back, so a stop leaves them exact', async () => {
    const marks = createRawLogMarks(store.db, { everyMs: 60_000 });
    await marks.passed(RAW, 4, 10n);
    await marks.passed(RAW, 4, 25n);
    await marks.passed(RAW, 5, 7n);
    expect(await throughOf(marks, 4)).toBe(10n);
    await marks.flush();
    expect(await throughOf(marks, 4)).toBe(25n);
    expect(await throughOf(marks, 5)).toBe(7n);
  });

  it('keeps the higher of two first marks written at once', async () => {
    const [one, other] = [createRawLogMarks(store.db), createRawLogMarks(store.db)];
    await Promise.all([one.passed(RAW, 6, 10n), other.passed(RAW, 6, 20n)]);
    expect(await throughOf(one, 6)).toBe(20n);
  });

  it("keeps the first record's print once a commit is recorded, beside the commits", async () => {
    const marks = createRawLogMarks(store.db);
    await marks.firstSeen(RAW, 8, 'print-a');
    // Before a commit, replaced: the topic may have been made again since.
    await marks.firstSeen(RAW, 8, 'print-b');
    await marks.passed(RAW, 8, 12n);
    await marks.firstSeen(RAW, 8, 'print-c');
    expect(await marks.read(RAW, 8)).toEqual({ through: 12n, first: 'print-b', refused: null });
    await marks.passed(RAW, 9, 3n);
    await marks.firstSeen(RAW, 9, 'print-d');
    expect(await marks.read(RAW, 9)).toEqual({ through: 3n, first: 'print-d', refused: null });
  });

  it('keeps a refusal beside the commits', async () => {
    const marks = createRawLogMarks(store.db, { everyMs: 0 });
    await marks.passed(RAW, 11, 30n);
    await marks.refuse(RAW, 11, 'ends at 2');
    await marks.passed(RAW, 11, 31n);
    expect(await marks.read(RAW, 11)).toMatchObject({ through: 31n, refused: 'ends at 2' });
  });

  it('keeps the highest commit when an instance dropped from the group records a lower one', async () => {
    const owner = createRawLogMarks(store.db);
    const dropped = createRawLogMarks(store.db);
    await owner.passed(RAW, 2, 500n);
    await dropped.passed(RAW, 2, 480n);
    expect(await throughOf(owner, 2)).toBe(500n);
  });

  it('tells of a mark it could not write, and keeps it for the next write or a flush', async () => {
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
    expect(await throughOf(marks, 3)).toBe(41n);
    // One a stop's flush writes.
    refusing = true;
    await marks.passed(RAW, 10, 50n);
    expect(errors).toHaveLength(2);
    await marks.flush();
    expect(await throughOf(marks, 10)).toBe(50n);
  });
});
