/**
 * A compact quantile sketch (phác thảo phân vị): logarithmic buckets with a
 * relative accuracy of 0.5%, in the manner of DDSketch, written here because
 * it sits on the `histogram()` hot path and must cost a `Math.log` and an
 * array increment, nothing more (no objects, no per-sample storage).
 *
 * A value x > 0 lands in bucket i = ceil(log_γ x), γ = (1+α)/(1-α); every
 * value in bucket i lies in (γ^(i-1), γ^i], and the bucket's representative
 * 2γ^i/(γ+1) is within α of each of them. Negative values use a mirrored
 * store; |x| below 1e-12 counts as zero. Memory is bounded: each store keeps
 * at most MAX_BUCKET buckets (a dynamic range of about e^20 ≈ 6e8 between the
 * smallest and largest magnitude); beyond it the buckets nearest zero are
 * merged, which only affects the accuracy of quantiles that fall there.
 */

/** Relative accuracy of one order-statistic estimate. */
export const DO_CHINH_XAC = 0.005;
const GAMMA = (1 + DO_CHINH_XAC) / (1 - DO_CHINH_XAC);
const LOG_GAMMA = Math.log(GAMMA);
const NGHICH_LOG_GAMMA = 1 / LOG_GAMMA;
const HE_SO_DAI_DIEN = 2 / (GAMMA + 1);
const NHO_NHAT = 1e-12;
/** Max buckets per sign (bounded memory: 2 × 2048 × 8 bytes). */
export const MAX_BUCKET = 2048;

/** One sign's buckets: a dense window [dau, dau + dem.length) of indices. */
class Kho {
  dem: Float64Array = new Float64Array(0);
  /** Index of dem[0]. */
  dau = 0;
  /** Values held. */
  tong = 0;

  them(i: number): void {
    const j = i - this.dau;
    if (j >= 0 && j < this.dem.length) {
      (this.dem[j] as number)++;
      this.tong++;
    } else this.themN(i, 1);
  }

  /** Adds `c` to bucket `i`, growing (or collapsing) the window as needed. */
  themN(i: number, c: number): void {
    this.tong += c;
    const n = this.dem.length;
    if (n === 0) {
      this.dem = new Float64Array(16);
      this.dau = i - 8;
      this.dem[8] = c;
      return;
    }
    const j = i - this.dau;
    if (j >= 0 && j < n) {
      this.dem[j] = (this.dem[j] as number) + c;
      return;
    }
    const moiDau = Math.min(this.dau, i);
    const moiCuoi = Math.max(this.dau + n, i + 1); // exclusive
    const rong = moiCuoi - moiDau;
    if (rong <= MAX_BUCKET) {
      // Grow, leaving the slack on the side that overflowed.
      const kt = Math.min(MAX_BUCKET, Math.max(n * 2, rong + 16));
      const dauMoi = i < this.dau ? moiCuoi - kt : moiDau;
      const moi = new Float64Array(kt);
      moi.set(this.dem, this.dau - dauMoi);
      moi[i - dauMoi] = (moi[i - dauMoi] as number) + c;
      this.dem = moi;
      this.dau = dauMoi;
      return;
    }
    // Too wide: keep the MAX_BUCKET highest indices, merge the lowest into the first.
    const dauMoi = moiCuoi - MAX_BUCKET;
    const moi = new Float64Array(MAX_BUCKET);
    for (let k = 0; k < n; k++) {
      const idx = Math.max(this.dau + k, dauMoi) - dauMoi;
      moi[idx] = (moi[idx] as number) + (this.dem[k] as number);
    }
    const jm = Math.max(i, dauMoi) - dauMoi;
    moi[jm] = (moi[jm] as number) + c;
    this.dem = moi;
    this.dau = dauMoi;
  }

  gop(khac: Kho): void {
    for (let k = 0; k < khac.dem.length; k++) {
      const c = khac.dem[k] as number;
      if (c > 0) this.themN(khac.dau + k, c);
    }
  }
}

export class PhacThaoPhanVi {
  private readonly duong = new Kho();
  private readonly am = new Kho();
  private khong = 0;

  /** Adds one finite value. */
  them(x: number): void {
    if (x > NHO_NHAT) this.duong.them(Math.ceil(Math.log(x) * NGHICH_LOG_GAMMA));
    else if (x < -NHO_NHAT) this.am.them(Math.ceil(Math.log(-x) * NGHICH_LOG_GAMMA));
    else this.khong++;
  }

  get so_luong(): number {
    return this.duong.tong + this.am.tong + this.khong;
  }

  /** Bytes held by the bucket arrays (for memory tests). */
  get so_byte(): number {
    return this.duong.dem.byteLength + this.am.dem.byteLength;
  }

  /**
   * Estimates of the order statistics x_(k) (0-based rank in sorted order)
   * for every rank in `hang` (ascending), each within 0.5% of the true value.
   */
  uoc_luong_hang(hang: readonly number[]): number[] {
    const ra: number[] = new Array<number>(hang.length).fill(0);
    let h = 0;
    let tichLuy = 0;
    // Negative values, most negative first: highest index of the negative store first.
    const am = this.am;
    for (let k = am.dem.length - 1; k >= 0 && h < hang.length; k--) {
      const c = am.dem[k] as number;
      if (c === 0) continue;
      tichLuy += c;
      const v = -Math.exp((am.dau + k) * LOG_GAMMA) * HE_SO_DAI_DIEN;
      while (h < hang.length && (hang[h] as number) < tichLuy) ra[h++] = v;
    }
    if (this.khong > 0) {
      tichLuy += this.khong;
      while (h < hang.length && (hang[h] as number) < tichLuy) ra[h++] = 0;
    }
    const duong = this.duong;
    for (let k = 0; k < duong.dem.length && h < hang.length; k++) {
      const c = duong.dem[k] as number;
      if (c === 0) continue;
      tichLuy += c;
      const v = Math.exp((duong.dau + k) * LOG_GAMMA) * HE_SO_DAI_DIEN;
      while (h < hang.length && (hang[h] as number) < tichLuy) ra[h++] = v;
    }
    return ra;
  }

  /** Merges another sketch into this one (used to fold overflowing series). */
  gop(khac: PhacThaoPhanVi): void {
    this.duong.gop(khac.duong);
    this.am.gop(khac.am);
    this.khong += khac.khong;
  }
}

/**
 * numpy-style percentiles (linear interpolation between the two neighbouring
 * order statistics, `h = (n-1)q`) from a sketch, clamped to the exact min/max
 * so that the ends and constant distributions come out exact.
 */
export function phan_vi(ph: PhacThaoPhanVi, qs: readonly number[], min: number, max: number): number[] {
  const n = ph.so_luong;
  if (n === 0) return qs.map(() => 0);
  const hang: number[] = [];
  for (const q of qs) {
    const h = (n - 1) * q;
    hang.push(Math.floor(h), Math.min(n - 1, Math.floor(h) + 1));
  }
  const thuTu = hang.map((_, i) => i).sort((a, b) => (hang[a] as number) - (hang[b] as number));
  const uocSapXep = ph.uoc_luong_hang(thuTu.map((i) => hang[i] as number));
  const uoc: number[] = new Array<number>(hang.length);
  thuTu.forEach((i, j) => (uoc[i] = uocSapXep[j] as number));
  const kep = (v: number, k: number): number => (k === 0 ? min : k === n - 1 ? max : Math.min(max, Math.max(min, v)));
  return qs.map((q, i) => {
    const h = (n - 1) * q;
    const f = h - Math.floor(h);
    const a = kep(uoc[2 * i] as number, hang[2 * i] as number);
    const b = kep(uoc[2 * i + 1] as number, hang[2 * i + 1] as number);
    return f === 0 ? a : a + (b - a) * f;
  });
}
