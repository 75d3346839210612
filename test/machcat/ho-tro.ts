/** Test helpers for MachCat: a steppable clock and a promise settled by hand. */

/** A clock (đồng hồ) the test moves by hand, in ms. */
export class DongHoGia {
  t = 1_000;
  readonly ham = (): number => this.t;
  tien(giay: number): void {
    this.t += giay * 1000;
  }
}

/** A promise with its resolve/reject (hứa hẹn treo). */
export interface Treo<T> {
  p: Promise<T>;
  xong(v: T): void;
  loi(e: unknown): void;
}

export function treo<T>(): Treo<T> {
  let xong!: (v: T) => void;
  let loi!: (e: unknown) => void;
  const p = new Promise<T>((a, b) => {
    xong = a;
    loi = b;
  });
  return { p, xong, loi };
}

/** Lets every queued microtask and pending I/O callback run. */
export function nhuong(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** Deterministic PRNG (mulberry32) so a failing random run can be replayed. */
export function prng(hat: number): () => number {
  let a = hat >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const loiGia = (): Promise<never> => Promise.reject(new Error('dependency down'));
