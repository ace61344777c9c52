import { describe, expect, it } from 'vitest';
import { createCredentialsWatch } from './credentials-watch';

const watched = (refusedAtStart: boolean, statuses: number[]) => {
  const changes: boolean[] = [];
  const watch = createCredentialsWatch(refusedAtStart, (refused) => changes.push(refused));
  for (const status of statuses) watch.observe(status);
  return changes;
};

describe("watching whether Haravan refuses the shop's credentials", () => {
  it('tells the first 401, and not the ones after it', () => {
    expect(watched(false, [200, 401, 401, 500, 429, 401])).toEqual([true]);
  });

  it('tells credentials taken again at the next answer Haravan accepts', () => {
    expect(watched(false, [401, 503, 200, 200, 401, 201])).toEqual([true, false, true, false]);
  });

  it('starts from what the tenant recorded: accepted again by a first answer taken', () => {
    expect(watched(true, [200])).toEqual([false]);
    expect(watched(true, [401, 0])).toEqual([]);
  });

  it('answers whether the credentials stand refused now', () => {
    const watch = createCredentialsWatch(true, () => undefined);
    expect(watch.refused()).toBe(true);
    watch.observe(200);
    expect(watch.refused()).toBe(false);
    watch.observe(401);
    expect(watch.refused()).toBe(true);
  });
});
