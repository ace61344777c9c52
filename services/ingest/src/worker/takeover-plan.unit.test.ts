import { describe, expect, it } from 'vitest';
import type { RawLogMark } from './raw-log-marks';
import { planTakeover } from './takeover-plan';

const where = { topic: 'cdp.raw', partition: 0 };
const mark = (
  through: bigint | null,
  first: string | null = 'p0',
  refused: string | null = null,
): RawLogMark => ({
  through,
  first,
  refused,
});
const plan = (
  committed: bigint | null,
  logEnd: bigint,
  stored: RawLogMark | null,
  print: string | null = committed === null ? 'p0' : null,
) => planTakeover(where, { committed, logEnd, mark: stored, print });

describe("the decider's plan for a raw partition it takes over", () => {
  it('reads on from the group offset of a log it knows, or one it never marked', () => {
    expect(plan(40n, 50n, mark(40n))).toEqual({ kind: 'read', from: 40n, keepPrint: null });
    expect(plan(40n, 50n, null)).toEqual({ kind: 'read', from: 40n, keepPrint: null });
  });

  it('keeps the print of a partition read from its start for the first time', () => {
    expect(plan(null, 5n, null)).toEqual({ kind: 'read', from: null, keepPrint: 'p0' });
    // A mark from before prints were kept.
    expect(plan(null, 50n, mark(40n, null))).toEqual({ kind: 'read', from: null, keepPrint: 'p0' });
  });

  it('replaces a print taken before anything was committed', () => {
    expect(plan(null, 5n, mark(null, 'p-old'))).toEqual({ kind: 'read', from: null, keepPrint: 'p0' });
  });

  it('jumps to the mark of the same log when the group lost its offsets', () => {
    expect(plan(null, 50n, mark(40n))).toEqual({ kind: 'jump', to: 40n });
  });

  it('keeps a group offset set by hand below the mark', () => {
    expect(plan(10n, 50n, mark(40n))).toEqual({ kind: 'read', from: 10n, keepPrint: null });
  });

  it('refuses, to be kept, a log ending before the group offset or the mark', () => {
    const byMark = plan(null, 3n, mark(40n));
    expect(byMark).toMatchObject({ kind: 'refuse', keep: true });
    expect(byMark.kind === 'refuse' && byMark.error.message).toContain('ends at 3');
    expect(plan(40n, 3n, null)).toMatchObject({ kind: 'refuse', keep: true });
  });

  it('refuses, to be kept, a log whose first record is another', () => {
    const other = plan(null, 500n, mark(40n, 'p-old'));
    expect(other).toMatchObject({ kind: 'refuse', keep: true });
    expect(other.kind === 'refuse' && other.error.code).toBe('ERR_INGEST_RAW_LOG_BEHIND');
  });

  it('refuses a partition refused before, whatever its log says now', () => {
    const kept = plan(40n, 500n, mark(40n, 'p0', 'cdp.raw/0 ends at 3'));
    expect(kept).toMatchObject({ kind: 'refuse', keep: false });
    expect(kept.kind === 'refuse' && kept.error.message).toContain('cdp.raw/0 ends at 3 (kept');
  });
});
