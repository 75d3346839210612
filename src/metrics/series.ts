/**
 * One series (chuỗi) of a metric: the numbers of one label set. Plain fields
 * only, so recording is a few arithmetic operations; the collection turns
 * them into OTel data points.
 */
import type { HrTime } from '@opentelemetry/api';
import { PhacThaoPhanVi, phan_vi } from './quantile-sketch.js';
import { OExemplar } from '../core/exemplar.js';

/** The attributes of OTel's overflow series (same key and value as the OTel SDK). */
export const NHAN_TRAN: Readonly<Record<string, boolean>> = Object.freeze({ 'otel.metric.overflow': true });

export function hr_bay_gio(): HrTime {
  const ms = Date.now();
  return [Math.floor(ms / 1000), (ms % 1000) * 1e6];
}

/** What every series has: its labels (frozen, sorted by name) and start time. */
export class SeriesGoc {
  constructor(
    /** Frozen, sorted attributes; also the cache key of the Prometheus serializer. */
    readonly nhan: Readonly<Record<string, string | boolean>>,
    /** Canonical text of the labels, e.g. `{a="x",b="y"}` ('' for none); keys export_json. */
    readonly khoa: string,
    readonly bat_dau: HrTime,
  ) {}
}

/** A counter or gauge series: one number. */
export class SeriesSo extends SeriesGoc {
  gia_tri = 0;
}

/** A histogram series: exact count/sum/min/max, Welford's M2, explicit buckets, and a quantile sketch. */
export class SeriesHistogram extends SeriesGoc {
  dem = 0;
  tong = 0;
  min = Infinity;
  max = -Infinity;
  /** Running mean and sum of squared deviations (Welford), for an exact-as-floats std. */
  tb = 0;
  m2 = 0;
  readonly bucket: Float64Array;
  readonly phac = new PhacThaoPhanVi();
  /** One exemplar per bucket, made on the first value recorded inside a sampled span. */
  exemplar: OExemplar | undefined;

  constructor(
    nhan: Readonly<Record<string, string | boolean>>,
    khoa: string,
    bat_dau: HrTime,
    readonly bien: readonly number[],
  ) {
    super(nhan, khoa, bat_dau);
    this.bucket = new Float64Array(bien.length + 1);
  }

  /** Records `x`; returns its bucket index. */
  ghi(x: number): number {
    const n = ++this.dem;
    this.tong += x;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    const d = x - this.tb;
    this.tb += d / n;
    this.m2 += d * (x - this.tb);
    const b = this.bien;
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
    (this.bucket[i] as number)++;
    this.phac.them(x);
    return i;
  }

  /** Adds everything of another series with the same boundaries (folding overflow). */
  gop(k: SeriesHistogram): void {
    if (k.dem === 0) return;
    const n = this.dem + k.dem;
    const d = k.tb - this.tb;
    this.m2 += k.m2 + (d * d * this.dem * k.dem) / n;
    this.tb += (d * k.dem) / n;
    this.dem = n;
    this.tong += k.tong;
    if (k.min < this.min) this.min = k.min;
    if (k.max > this.max) this.max = k.max;
    for (let i = 0; i < this.bucket.length; i++) this.bucket[i] = (this.bucket[i] as number) + (k.bucket[i] as number);
    this.phac.gop(k.phac);
    if (k.exemplar !== undefined) (this.exemplar ??= new OExemplar(this.bucket.length)).gop(k.exemplar);
  }
}

/** `lay_histogram_stats` result (the seed's keys). */
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

const PHAN_VI = [0.5, 0.9, 0.95, 0.99] as const;

export function thong_ke_histogram(s: SeriesHistogram | undefined): ThongKeHistogram {
  if (s === undefined || s.dem === 0) return { count: 0, mean: 0, std: 0, min: 0, max: 0, p50: 0, p90: 0, p95: 0, p99: 0 };
  const [p50, p90, p95, p99] = phan_vi(s.phac, PHAN_VI, s.min, s.max) as [number, number, number, number];
  return { count: s.dem, mean: s.tong / s.dem, std: Math.sqrt(Math.max(0, s.m2 / s.dem)), min: s.min, max: s.max, p50, p90, p95, p99 };
}
