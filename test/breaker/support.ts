/** Test helpers for MachCat: a steppable clock and a promise settled by hand. */
import { tao_ngau_nhien } from '../support/random.js';

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
export const prng = tao_ngau_nhien;

export const loiGia = (): Promise<never> => Promise.reject(new Error('dependency down'));
