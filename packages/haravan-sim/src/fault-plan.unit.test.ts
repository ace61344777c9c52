import { describe, expect, it } from 'vitest';
import { planFaults } from './fault-plan.js';
import { createRng } from './prng.js';

const faults = {
  duplicateRate: 0.2,
  reorderRate: 0.2,
  dropRate: 0.1,
  deferRate: 0.1,
  delayMs: [0, 50] as [number, number],
};

describe('webhook fault plan', () => {
  it('is the same for the same seed', () => {
    expect(planFaults(200, faults, createRng(7))).toEqual(planFaults(200, faults, createRng(7)));
  });

  it('differs for another seed', () => {
    expect(planFaults(200, faults, createRng(7)).sends).not.toEqual(
      planFaults(200, faults, createRng(8)).sends,
    );
  });

  it('delivers everything once, in order, without faults', () => {
    const plan = planFaults(5, {}, createRng(1));
    expect(plan.sends.map((s) => s.item)).toEqual([0, 1, 2, 3, 4]);
    expect(plan).toMatchObject({ dropped: [], deferred: [], duplicated: 0, reordered: 0 });
  });

  it('accounts for every item: sent, dropped or deferred; duplicates are extra copies', () => {
    const plan = planFaults(500, faults, createRng(3));
    const originals = plan.sends.filter((s) => s.copy === 0).map((s) => s.item);
    expect(new Set([...originals, ...plan.dropped, ...plan.deferred]).size).toBe(500);
    expect(plan.sends.filter((s) => s.copy === 1)).toHaveLength(plan.duplicated);
    expect(plan.duplicated).toBeGreaterThan(0);
    expect(plan.reordered).toBeGreaterThan(0);
  });
});
