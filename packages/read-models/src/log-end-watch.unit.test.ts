import { describe, expect, it } from 'vitest';
import { watchLogEnds } from './log-end-watch';

describe("a watch of the logs' ends", () => {
  it('tells of a log whose end went down, as a topic made again shows, and follows its new end', async () => {
    let high = 42;
    const admin = { fetchTopicOffsets: () => Promise.resolve([{ partition: 0, high: String(high) }]) };
    const shrunk: [string, number, number][] = [];
    const watch = watchLogEnds(admin, ['cdp.orders.v1'], {
      intervalMs: null,
      onShrink: (id, from, to) => shrunk.push([id, from, to]),
    });
    await watch.refresh();
    expect(watch.viewOf('cdp.orders.v1/0', 41)?.end).toBe(42);

    high = 3;
    await watch.refresh();
    expect(shrunk).toEqual([['cdp.orders.v1/0', 42, 3]]);
    expect(watch.viewOf('cdp.orders.v1/0', 1)?.end).toBe(3);
    await watch.refresh();
    expect(shrunk).toHaveLength(1);
  });
});
