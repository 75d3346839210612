/**
 * A seeded pseudo-random generator (ngẫu nhiên: random), so data generation,
 * the split, weight initialisation and the order of training are the same
 * on every run: the same code gives the same model bytes.
 */

/** mulberry32: a small, fast 32-bit generator; returns numbers in [0, 1). */
export function tao_ngau_nhien(hat_giong: number): () => number {
  let a = hat_giong >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle (xáo trộn) in place; returns the same array. */
export function xao_tron<T>(ds: T[], r: () => number): T[] {
  for (let i = ds.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    const t = ds[i] as T;
    ds[i] = ds[j] as T;
    ds[j] = t;
  }
  return ds;
}
