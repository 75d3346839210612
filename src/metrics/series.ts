/**
 * One series of a metric: the numbers of one label set. Plain fields
 * only, so recording is a few arithmetic operations; the collection turns
 * them into OTel data points.
 */
import type { HrTime } from '@opentelemetry/api';
import { PhacThaoPhanVi, phan_vi } from './quantile-sketch.js';
import { ExemplarSlots } from '../core/exemplar.js';

/** The attributes of OTel's overflow series (same key and value as the OTel SDK). */
export const OVERFLOW_ATTRIBUTES: Readonly<Record<string, boolean>> = Object.freeze({ 'otel.metric.overflow': true });

/** The wall-clock time now, as OTel's HrTime. */
export function hr_now(): HrTime {
  const ms = Date.now();
  return [Math.floor(ms / 1000), (ms % 1000) * 1e6];
}

/** What every series has: its labels (frozen, sorted by name) and start time. */
export class SeriesBase {
  constructor(
    /** Frozen, sorted attributes; also the cache key of the Prometheus serializer. */
    readonly attributes: Readonly<Record<string, string | boolean>>,
    /** Canonical text of the labels, e.g. `{a="x",b="y"}` ('' for none); keys export_json. */
    readonly key: string,
    readonly startTime: HrTime,
  ) {}
}

/** A counter or gauge series: one number. */
export class NumberSeries extends SeriesBase {
  value = 0;
}

/** A histogram series: exact count/sum/min/max, Welford's M2, explicit buckets, and a quantile sketch. */
export class HistogramSeries extends SeriesBase {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  /** Running mean and sum of squared deviations (Welford), for an exact-as-floats std. */
  mean = 0;
  m2 = 0;
  /** Per-bucket counts (not cumulative); the last one is the +Inf bucket. */
  readonly buckets: Float64Array;
  readonly sketch = new PhacThaoPhanVi();
  /** One exemplar per bucket, made on the first value recorded inside a sampled span. */
  exemplars: ExemplarSlots | undefined;

  constructor(
    attributes: Readonly<Record<string, string | boolean>>,
    key: string,
    startTime: HrTime,
    readonly boundaries: readonly number[],
  ) {
    super(attributes, key, startTime);
    this.buckets = new Float64Array(boundaries.length + 1);
  }

  /** Records `x`; returns its bucket index. */
  record(x: number): number {
    const n = ++this.count;
    this.sum += x;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    const d = x - this.mean;
    this.mean += d / n;
    this.m2 += d * (x - this.mean);
    const b = this.boundaries;
    const L = b.length;
    let i: number;
    if (L <= 24) {
      i = 0;
      while (i < L && x > (b[i] as number)) i++;
    } else {
      let lo = 0;
      let hi = L;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (x > (b[mid] as number)) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    (this.buckets[i] as number)++;
    this.sketch.them(x);
    return i;
  }

  /** Adds everything of another series with the same boundaries (folding overflow). */
  merge(other: HistogramSeries): void {
    if (other.count === 0) return;
    const n = this.count + other.count;
    const d = other.mean - this.mean;
    this.m2 += other.m2 + (d * d * this.count * other.count) / n;
    this.mean += (d * other.count) / n;
    this.count = n;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    for (let i = 0; i < this.buckets.length; i++) this.buckets[i] = (this.buckets[i] as number) + (other.buckets[i] as number);
    this.sketch.gop(other.sketch);
    if (other.exemplars !== undefined) (this.exemplars ??= new ExemplarSlots(this.buckets.length)).merge(other.exemplars);
  }
}

/** `lay_histogram_stats` result (thống kê histogram; the seed's keys). */
export interface ThongKeHistogram {
  count: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

const QUANTILES = [0.5, 0.9, 0.95, 0.99] as const;

export function histogram_stats(s: HistogramSeries | undefined): ThongKeHistogram {
  if (s === undefined || s.count === 0) return { count: 0, mean: 0, std: 0, min: 0, max: 0, p50: 0, p90: 0, p95: 0, p99: 0 };
  const [p50, p90, p95, p99] = phan_vi(s.sketch, QUANTILES, s.min, s.max) as [number, number, number, number];
  return { count: s.count, mean: s.sum / s.count, std: Math.sqrt(Math.max(0, s.m2 / s.count)), min: s.min, max: s.max, p50, p90, p95, p99 };
}
