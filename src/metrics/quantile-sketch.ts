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
 * at most MAX_BUCKETS buckets (a dynamic range of about e^20 ≈ 6e8 between the
 * smallest and largest magnitude); beyond it the buckets nearest zero are
 * merged, which only affects the accuracy of quantiles that fall there.
 */

/** Relative accuracy of one order-statistic estimate (độ chính xác). */
export const DO_CHINH_XAC = 0.005;
const GAMMA = (1 + DO_CHINH_XAC) / (1 - DO_CHINH_XAC);
const LOG_GAMMA = Math.log(GAMMA);
const INV_LOG_GAMMA = 1 / LOG_GAMMA;
/** Bucket index -> representative value: γ^i times this. */
const REPRESENTATIVE_FACTOR = 2 / (GAMMA + 1);
/** Magnitudes below this count as zero. */
const ZERO_THRESHOLD = 1e-12;
/** Max buckets per sign (bounded memory: 2 × 2048 × 8 bytes). */
export const MAX_BUCKETS = 2048;

/** One sign's buckets: a dense window [offset, offset + counts.length) of indices. */
class BucketStore {
  counts: Float64Array = new Float64Array(0);
  /** Index of counts[0]. */
  offset = 0;
  /** Values held. */
  total = 0;

  add(i: number): void {
    const j = i - this.offset;
    if (j >= 0 && j < this.counts.length) {
      (this.counts[j] as number)++;
      this.total++;
    } else this.addCount(i, 1);
  }

  /** Adds `c` to bucket `i`, growing (or collapsing) the window as needed. */
  addCount(i: number, c: number): void {
    this.total += c;
    const n = this.counts.length;
    if (n === 0) {
      this.counts = new Float64Array(16);
      this.offset = i - 8;
      this.counts[8] = c;
      return;
    }
    const j = i - this.offset;
    if (j >= 0 && j < n) {
      this.counts[j] = (this.counts[j] as number) + c;
      return;
    }
    const low = Math.min(this.offset, i);
    const high = Math.max(this.offset + n, i + 1); // exclusive
    if (high - low <= MAX_BUCKETS) this.grow(i, c, low, high);
    else this.collapse(i, c, high);
  }

  /** A window wide enough for [low, high), leaving the slack on the side that overflowed; then adds `c` to bucket `i`. */
  private grow(i: number, c: number, low: number, high: number): void {
    const size = Math.min(MAX_BUCKETS, Math.max(this.counts.length * 2, high - low + 16));
    const newOffset = i < this.offset ? high - size : low;
    const grown = new Float64Array(size);
    grown.set(this.counts, this.offset - newOffset);
    grown[i - newOffset] = (grown[i - newOffset] as number) + c;
    this.counts = grown;
    this.offset = newOffset;
  }

  /** Too wide: keeps the MAX_BUCKETS highest indices below `high`, merges the lowest into the first; then adds `c` to bucket `i`. */
  private collapse(i: number, c: number, high: number): void {
    const newOffset = high - MAX_BUCKETS;
    const collapsed = new Float64Array(MAX_BUCKETS);
    for (let k = 0; k < this.counts.length; k++) {
      const idx = Math.max(this.offset + k, newOffset) - newOffset;
      collapsed[idx] = (collapsed[idx] as number) + (this.counts[k] as number);
    }
    const target = Math.max(i, newOffset) - newOffset;
    collapsed[target] = (collapsed[target] as number) + c;
    this.counts = collapsed;
    this.offset = newOffset;
  }

  merge(other: BucketStore): void {
    for (let k = 0; k < other.counts.length; k++) {
      const c = other.counts[k] as number;
      if (c > 0) this.addCount(other.offset + k, c);
    }
  }
}

/** The sketch (phác thảo phân vị): positive and negative stores and a zero count. */
export class PhacThaoPhanVi {
  private readonly positive = new BucketStore();
  private readonly negative = new BucketStore();
  private zeros = 0;

  /** Adds one finite value (thêm). */
  them(x: number): void {
    if (x > ZERO_THRESHOLD) this.positive.add(Math.ceil(Math.log(x) * INV_LOG_GAMMA));
    else if (x < -ZERO_THRESHOLD) this.negative.add(Math.ceil(Math.log(-x) * INV_LOG_GAMMA));
    else this.zeros++;
  }

  /** Values held (số lượng). */
  get so_luong(): number {
    return this.positive.total + this.negative.total + this.zeros;
  }

  /** Bytes held by the bucket arrays (số byte; for memory tests). */
  get so_byte(): number {
    return this.positive.counts.byteLength + this.negative.counts.byteLength;
  }

  /**
   * Estimates of the order statistics x_(k) (0-based rank in sorted order)
   * for every rank in `ranks` (ascending), each within 0.5% of the true value
   * (ước lượng hạng).
   */
  uoc_luong_hang(ranks: readonly number[]): number[] {
    const out: number[] = new Array<number>(ranks.length).fill(0);
    let r = 0;
    let cumulative = 0;
    // Negative values, most negative first: highest index of the negative store first.
    const negative = this.negative;
    for (let k = negative.counts.length - 1; k >= 0 && r < ranks.length; k--) {
      const c = negative.counts[k] as number;
      if (c === 0) continue;
      cumulative += c;
      const v = -Math.exp((negative.offset + k) * LOG_GAMMA) * REPRESENTATIVE_FACTOR;
      while (r < ranks.length && (ranks[r] as number) < cumulative) out[r++] = v;
    }
    if (this.zeros > 0) {
      cumulative += this.zeros;
      while (r < ranks.length && (ranks[r] as number) < cumulative) out[r++] = 0;
    }
    const positive = this.positive;
    for (let k = 0; k < positive.counts.length && r < ranks.length; k++) {
      const c = positive.counts[k] as number;
      if (c === 0) continue;
      cumulative += c;
      const v = Math.exp((positive.offset + k) * LOG_GAMMA) * REPRESENTATIVE_FACTOR;
      while (r < ranks.length && (ranks[r] as number) < cumulative) out[r++] = v;
    }
    return out;
  }

  /** Merges another sketch into this one (gộp; used to fold overflowing series). */
  gop(other: PhacThaoPhanVi): void {
    this.positive.merge(other.positive);
    this.negative.merge(other.negative);
    this.zeros += other.zeros;
  }
}

/**
 * numpy-style percentiles (phân vị; linear interpolation between the two
 * neighbouring order statistics, `h = (n-1)q`) from a sketch, clamped to the
 * exact min/max so that the ends and constant distributions come out exact.
 */
export function phan_vi(sketch: PhacThaoPhanVi, qs: readonly number[], min: number, max: number): number[] {
  const n = sketch.so_luong;
  if (n === 0) return qs.map(() => 0);
  // Two ranks per quantile: floor(h) and the next one.
  const ranks: number[] = [];
  for (const q of qs) {
    const h = (n - 1) * q;
    ranks.push(Math.floor(h), Math.min(n - 1, Math.floor(h) + 1));
  }
  const order = ranks.map((_, i) => i).sort((a, b) => (ranks[a] as number) - (ranks[b] as number));
  const sortedEstimates = sketch.uoc_luong_hang(order.map((i) => ranks[i] as number));
  const estimates: number[] = new Array<number>(ranks.length);
  order.forEach((i, j) => (estimates[i] = sortedEstimates[j] as number));
  const clamp = (v: number, rank: number): number => (rank === 0 ? min : rank === n - 1 ? max : Math.min(max, Math.max(min, v)));
  return qs.map((q, i) => {
    const h = (n - 1) * q;
    const f = h - Math.floor(h);
    const a = clamp(estimates[2 * i] as number, ranks[2 * i] as number);
    const b = clamp(estimates[2 * i + 1] as number, ranks[2 * i + 1] as number);
    return f === 0 ? a : a + (b - a) * f;
  });
}
