import { describe, expect, it } from 'vitest';
import { waitFor } from '@cdp/testing';
import { sleep } from '../polling/sleep';
import { createPushWork } from './push-work';

describe("the look for which shops' push commands wait", () => {
  it('answers "may have" for every shop until a look answers, then for those it found only', async () => {
    const abort = new AbortController();
    const work = createPushWork({ tenantsWithWork: () => Promise.resolve(['busy']) }, 10, abort.signal);
    expect(work.mayHave('idle')).toBe(true);
    const running = work.run();
    await waitFor(() => !work.mayHave('idle'), { timeoutMs: 5_000, description: 'the first look' });
    expect(work.mayHave('busy')).toBe(true);
    abort.abort();
    await running;
  });

  it('lets every sender look for itself while a look fails or the store holds it up, one look at a time', async () => {
    const abort = new AbortController();
    let looks = 0;
    let answer: (tenantIds: string[]) => void = () => undefined;
    const work = createPushWork(
      {
        tenantsWithWork: () => {
          looks += 1;
          if (looks === 1) return Promise.reject(new Error('store away'));
          if (looks === 2) return new Promise<string[]>((resolve) => (answer = resolve));
          return Promise.resolve([]);
        },
      },
      10,
      abort.signal,
    );
    const running = work.run();
    await waitFor(() => looks === 2, { timeoutMs: 5_000, description: 'a second look' });
    // The first look failed; the second is held up over several rounds and none other starts.
    await sleep(50);
    expect(looks).toBe(2);
    expect(work.mayHave('idle')).toBe(true);
    answer([]);
    await waitFor(() => !work.mayHave('idle'), { timeoutMs: 5_000, description: 'a look answered' });
    abort.abort();
    await running;
  });
});
