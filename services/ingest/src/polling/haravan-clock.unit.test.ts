import { describe, expect, it } from 'vitest';
import { createHaravanClock } from './haravan-clock';

describe("Haravan's clock", () => {
  const local = Date.parse('2026-11-30T10:10:00.000Z');

  it("takes a host ten minutes ahead back to Haravan's time", () => {
    const clock = createHaravanClock(() => local + 5_000);
    expect(clock.known()).toBe(false);
    clock.observe('Mon, 30 Nov 2026 10:00:00 GMT', local);
    expect(clock.known()).toBe(true);
    expect(clock.now()).toBe(Date.parse('2026-11-30T10:00:05.000Z'));
    expect(clock.aheadMs()).toBe(10 * 60_000);
  });

  it('leaves a host behind Haravan as it is, and tells how far behind', () => {
    const clock = createHaravanClock(() => local);
    clock.observe('Mon, 30 Nov 2026 10:12:00 GMT', local);
    expect(clock.now()).toBe(local);
    expect(clock.aheadMs()).toBe(0);
    expect(clock.offsetMs()).toBe(-2 * 60_000);
  });

  it('keeps what it knew when an answer has no readable date', () => {
    const clock = createHaravanClock(() => local);
    clock.observe('Mon, 30 Nov 2026 10:09:00 GMT', local);
    clock.observe(null, local);
    clock.observe('soon', local);
    expect(clock.now()).toBe(local - 60_000);
  });
});
