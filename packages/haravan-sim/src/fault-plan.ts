import type { Rng } from './prng.js';

/** Real-world webhook misbehaviour; all rates are probabilities in [0, 1]. */
export interface WebhookFaults {
  /** The same delivery arrives twice (the copy a few deliveries later). */
  duplicateRate?: number;
  /** A delivery swaps places with the next one (e.g. orders/updated before orders/create). */
  reorderRate?: number;
  /** Never delivered: only polling finds the change. */
  dropRate?: number;
  /** Held back to the next flush, arriving after newer changes. */
  deferRate?: number;
  /** Wait before each send, uniformly in [min, max] ms. */
  delayMs?: [number, number];
  /** Send a flush's deliveries all at once instead of one after another. */
  burst?: boolean;
}

export interface PlannedSend {
  /** Index into the items being flushed. */
  item: number;
  /** 0 for the original, 1 for a duplicate. */
  copy: 0 | 1;
  delayMs: number;
}

export interface FaultPlan {
  sends: PlannedSend[];
  dropped: number[];
  deferred: number[];
  duplicated: number;
  reordered: number;
}

/** Decides, from the seed alone, what happens to each of `count` deliveries. */
export function planFaults(count: number, faults: WebhookFaults, rng: Rng): FaultPlan {
  const [minDelay, maxDelay] = faults.delayMs ?? [0, 0];
  const delay = () => (maxDelay > 0 ? rng.int(minDelay, maxDelay) : 0);
  const sends: PlannedSend[] = [];
  const dropped: number[] = [];
  const deferred: number[] = [];
  const duplicates: { after: number; send: PlannedSend }[] = [];
  for (let item = 0; item < count; item++) {
    if (rng.chance(faults.dropRate ?? 0)) {
      dropped.push(item);
      continue;
    }
    if (rng.chance(faults.deferRate ?? 0)) {
      deferred.push(item);
      continue;
    }
    sends.push({ item, copy: 0, delayMs: delay() });
    if (rng.chance(faults.duplicateRate ?? 0)) {
      duplicates.push({ after: sends.length - 1 + rng.int(0, 3), send: { item, copy: 1, delayMs: delay() } });
    }
  }
  // Insert copies from the back so earlier positions stay valid.
  for (const { after, send } of [...duplicates].reverse())
    sends.splice(Math.min(after + 1, sends.length), 0, send);
  let reordered = 0;
  for (let i = 0; i + 1 < sends.length; i++) {
    if (rng.chance(faults.reorderRate ?? 0)) {
      const a = sends[i] as PlannedSend;
      sends[i] = sends[i + 1] as PlannedSend;
      sends[i + 1] = a;
      reordered++;
      i++;
    }
  }
  return { sends, dropped, deferred, duplicated: duplicates.length, reordered };
}
