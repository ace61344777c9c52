/** FNV-1a over the string's UTF-16 code units, from a given offset basis. */
function fnv1a(text: string, basis: number): number {
  let hash = basis;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A set of fixed size (2^log2Bits bits) that can answer "maybe" for a key never added but never
 * "no" for one that was. With the defaults (2 MiB) one key in ~1,800 is a false "maybe" at a
 * million keys; past that the rate grows smoothly, nothing breaks.
 */
export function createBloomFilter(log2Bits = 24, hashes = 7) {
  const bits = new Uint32Array(2 ** (log2Bits - 5));
  const mask = 2 ** log2Bits - 1;
  const positions = (key: string): number[] => {
    const h1 = fnv1a(key, 0x811c9dc5);
    // Odd, so the probes walk different bits (double hashing).
    const h2 = fnv1a(key, 0x050c5d1f) | 1;
    return Array.from({ length: hashes }, (_, i) => (h1 + Math.imul(i, h2)) & mask);
  };
  return {
    add(key: string): void {
      for (const p of positions(key)) bits[p >>> 5] = (bits[p >>> 5] ?? 0) | (1 << (p & 31));
    },
    mightHave(key: string): boolean {
      return positions(key).every((p) => ((bits[p >>> 5] ?? 0) & (1 << (p & 31))) !== 0);
    },
  };
}
export type BloomFilter = ReturnType<typeof createBloomFilter>;
