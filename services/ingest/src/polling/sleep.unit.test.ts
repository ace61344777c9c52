import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { within } from './sleep';

describe('waiting for work within a time', () => {
  it("answers the work's value when it comes first, leaving no listener on the signal", async () => {
    const signal = new AbortController().signal;
    expect(await within(Promise.resolve(7), 60_000, signal)).toBe(7);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('gives up after the time while the work goes on', async () => {
    const signal = new AbortController().signal;
    const slow = new Promise((resolve) => setTimeout(() => resolve('late'), 200));
    expect(await within(slow, 10, signal)).toBeUndefined();
    expect(await slow).toBe('late');
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('gives up at once when stopped', async () => {
    const stop = new AbortController();
    const waiting = within(new Promise(() => undefined), 60_000, stop.signal);
    stop.abort();
    expect(await waiting).toBeUndefined();
  });
});
