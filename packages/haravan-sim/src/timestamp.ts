import type { Rng } from './prng.js';

export interface Stamp {
  ms: number;
  text: string;
}

/**
 * Haravan prints UTC with `Z` and a varying number of fractional digits (`…:09Z`, `…:20.1Z`,
 * `…:10.062Z`). The instant is truncated to the printed precision so text and value agree.
 */
export function stamp(ms: number, digits: 0 | 1 | 2 | 3): Stamp {
  const step = 10 ** (3 - digits);
  const truncated = Math.floor(ms / step) * step;
  const iso = new Date(truncated).toISOString(); // 2025-01-01T00:00:00.000Z
  const fraction = iso.slice(20, 20 + digits).replace(/0+$/, '');
  const text = `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
  return { ms: truncated, text };
}

export function randomStamp(ms: number, rng: Rng): Stamp {
  return stamp(ms, rng.pick([0, 1, 2, 3] as const));
}

export function parseTimestamp(text: string): number | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
