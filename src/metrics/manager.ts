/**
 * QuanLyMetrics (metrics manager): the seed's counter/gauge/histogram/timer
 * API as real OpenTelemetry metrics on the one pipeline.
 *
 * Recording touches only this object's own storage (see metric.ts): a Map
 * lookup by name, a Map walk by label values, a few additions. At each
 * collection of the one reader, a metric producer registered with
 * `dang_ky_nha_san_xuat` hands the numbers over as OTel data points (SUM,
 * GAUGE, explicit-bucket HISTOGRAM) in this instance's own instrumentation
 * scope, so they reach every output (Prometheus text, OTLP, ...), carry the
 * resource, and obey the pipeline's cardinality limit.
 *
 * Why a producer and not observable instruments for counters and gauges: the
 * OTel JS SDK keeps exporting, forever, every attribute set an observable
 * callback ever reported (cumulative storage never forgets), so `reset()`
 * could not make old series disappear from exports. The producer reports
 * exactly the current series, applies the same limit with OTel's overflow
 * attribute, and costs less per collection.
 */
import { ValueType, type HrTime } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, type MetricData, type ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { dang_ky_nha_san_xuat, pipeline_hien_tai, the_he_pipeline } from '../core/registry.js';
import { pipeline_hoac_mac_dinh } from '../pipeline/embedded.js';
import { chiem_ten } from './exposition-names.js';
import { Metric, nhan_he_so, type TuyChonMetric } from './instrument.js';
import { OExemplar, span_mau } from '../core/exemplar.js';
import { NHAN_TRAN, SeriesHistogram, SeriesSo, thong_ke_histogram, type ThongKeHistogram } from './series.js';
import { kiem_tra_namespace, kiem_tra_ten_metric, type LoaiMetric } from './names.js';
import { LIBRARY_VERSION } from '../core/version.js';

export type { TuyChonMetric } from './instrument.js';
export type { ThongKeHistogram } from './series.js';

/** Default histogram boundaries, in milliseconds: sub-ms to a minute. */
export const BIEN_BUCKET_MAC_DINH: readonly number[] = Object.freeze([0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000]);

/** The version reported in every QuanLyMetrics scope. */
const PHIEN_BAN = LIBRARY_VERSION;
/** Used until a pipeline exists (the embedded one uses the same figure). */
const GIOI_HAN_MAC_DINH = 2000;

/** Constructor options (tùy chọn). */
export interface TuyChonQuanLyMetrics {
  /** Namespace prefix of every metric name (default "vietnamese_ai"; '' for none). */
  ten?: string;
}

/** Handle of `timer()` (bộ hẹn giờ): `ket_thuc()` records once and returns the ms. */
export interface HenGio {
  ket_thuc(): number;
  [Symbol.dispose](): void;
}

type Nhan = Record<string, string> | undefined;

const scopeDangDung = new Map<string, number>();

function kiemTraTuyChon(t: unknown, loai: LoaiMetric): TuyChonMetric | undefined {
  if (t === undefined) return undefined;
  if (t === null || typeof t !== 'object') throw new TypeError(`QuanLyMetrics.${loai}: options must be an object { mo_ta?, don_vi?, bien_bucket? }`);
  const o = t as TuyChonMetric;
  if (o.mo_ta !== undefined && typeof o.mo_ta !== 'string') throw new TypeError(`QuanLyMetrics.${loai}: mo_ta must be a string`);
  if (o.don_vi !== undefined && (typeof o.don_vi !== 'string' || !/^[\x21-\x7e]{0,63}$/.test(o.don_vi))) {
    throw new TypeError(`QuanLyMetrics.${loai}: don_vi must be a printable ASCII UCUM unit such as "ms", "s", "By" or "1"`);
  }
  if (o.bien_bucket !== undefined) {
    if (loai !== 'histogram') throw new TypeError(`QuanLyMetrics.${loai}: bien_bucket applies to histograms only`);
    const b = o.bien_bucket;
    if (!Array.isArray(b) || b.length === 0 || b.length > 200) throw new RangeError('QuanLyMetrics.histogram: bien_bucket must be an array of 1 to 200 numbers');
    for (let i = 0; i < b.length; i++) {
      const x = b[i] as unknown;
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`QuanLyMetrics.histogram: bien_bucket[${i}] is not a finite number`);
      if (i > 0 && !(x > (b[i - 1] as number))) throw new RangeError('QuanLyMetrics.histogram: bien_bucket must be strictly increasing');
    }
  }
  return o;
}

function loiGiaTri(loai: LoaiMetric, ten: string, v: unknown, canKhongAm: boolean): Error {
  if (typeof v !== 'number') return new TypeError(`QuanLyMetrics.${loai}(${JSON.stringify(ten)}): value must be a number, got ${typeof v}`);
  return new RangeError(`QuanLyMetrics.${loai}(${JSON.stringify(ten)}): value must be ${canKhongAm ? 'a finite number >= 0' : 'finite'}, got ${v}`);
}

/** One HrTime for a whole collection. */
function hrMs(ms: number): HrTime {
  return [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
}

/**
 * The metrics manager. `ten` is the namespace: every metric is exposed as
 * `<ten>_<name>` (Prometheus adds `_total` to counters and a base-unit
 * suffix when a unit is known).
 */
export class QuanLyMetrics {
  /** The namespace (tên). */
  readonly ten: string;
  /** This instance's instrumentation scope name. */
  readonly scope: string;
  private counters = new Map<string, Metric<SeriesSo>>();
  private gauges = new Map<string, Metric<SeriesSo>>();
  private histograms = new Map<string, Metric<SeriesHistogram>>();
  private readonly bat_dau = performance.now();
  private gioiHanCache = GIOI_HAN_MAC_DINH;
  private theHe = -1;
  private goNhaSanXuat: (() => void) | undefined;
  /** How error messages name this instance (chủ = owner): the namespace, and its number when several share it. */
  private readonly chu: string;
  /** Frees the exposition names of every metric created (reset, dong). */
  private traTen: Array<() => void> = [];
  private readonly gioiHan = (): number => {
    const th = the_he_pipeline();
    if (th !== this.theHe) {
      this.theHe = th;
      this.gioiHanCache = pipeline_hien_tai()?.gioi_han_series ?? GIOI_HAN_MAC_DINH;
    }
    return this.gioiHanCache;
  };

  constructor(ten?: string | TuyChonQuanLyMetrics) {
    const t = typeof ten === 'string' || ten === undefined ? { ten } : ten;
    if (t === null || typeof t !== 'object') throw new TypeError('QuanLyMetrics: expected a namespace string or { ten?: string }');
    for (const k of Object.keys(t)) {
      if (k !== 'ten') throw new TypeError(`QuanLyMetrics: unknown option ${JSON.stringify(k)} (known: ten)`);
    }
    this.ten = kiem_tra_namespace(t.ten ?? 'vietnamese_ai');
    const goc = `vietnamese-ai-otel/metrics/${this.ten === '' ? '_' : this.ten}`;
    const n = (scopeDangDung.get(goc) ?? 0) + 1;
    scopeDangDung.set(goc, n);
    this.scope = n === 1 ? goc : `${goc}#${n}`;
    this.chu = `QuanLyMetrics(${JSON.stringify(this.ten)})${n === 1 ? '' : ` #${n}`}`;
    this.goNhaSanXuat = dang_ky_nha_san_xuat({ thu_thap: (g) => this.thu_thap(g) });
  }

  private metric<S extends SeriesHistogram | SeriesSo>(
    bang: Map<string, Metric<S>>,
    loai: LoaiMetric,
    ten: string,
    tuy_chon: TuyChonMetric | undefined,
  ): Metric<S> {
    let m = bang.get(ten);
    if (m !== undefined) return m;
    const { ten: goc, don_vi } = kiem_tra_ten_metric(ten, loai);
    const t = kiemTraTuyChon(tuy_chon, loai);
    for (const [khac, loaiKhac] of [
      [this.counters, 'counter'],
      [this.gauges, 'gauge'],
      [this.histograms, 'histogram'],
    ] as const) {
      if (loaiKhac !== loai && khac.has(ten)) throw new TypeError(`QuanLyMetrics.${loai}: ${JSON.stringify(ten)} is already a ${loaiKhac}`);
    }
    const ten_otel = this.ten === '' ? goc : `${this.ten}_${goc}`;
    const mo_ta = t?.mo_ta ?? `${loai} ${ten} (QuanLyMetrics ${this.ten === '' ? 'default' : this.ten})`;
    const bien = loai === 'histogram' ? Object.freeze([...(t?.bien_bucket ?? BIEN_BUCKET_MAC_DINH)]) : [];
    m = new Metric<S>(loai, ten, ten_otel, mo_ta, t?.don_vi ?? don_vi ?? '', bien, this.gioiHan);
    this.traTen.push(chiem_ten(loai, ten_otel, m.don_vi_otel, `${this.chu}.${loai}(${JSON.stringify(ten)})`));
    bang.set(ten, m);
    return m;
  }

  /** Adds `gia_tri` (default 1) to a counter. @throws RangeError for a negative or non-finite increment */
  counter(ten: string, labels?: Nhan, gia_tri = 1, tuy_chon?: TuyChonMetric): void {
    if (typeof gia_tri !== 'number' || !(gia_tri >= 0 && gia_tri < Infinity)) throw loiGiaTri('counter', ten, gia_tri, true);
    const m = this.counters.get(ten) ?? this.metric(this.counters, 'counter', ten, tuy_chon);
    (m.tim(labels, true) as SeriesSo).gia_tri += gia_tri;
  }

  /** Sets a gauge. @throws RangeError for a non-finite value */
  gauge(ten: string, gia_tri: number, labels?: Nhan, tuy_chon?: TuyChonMetric): void {
    if (typeof gia_tri !== 'number' || gia_tri - gia_tri !== 0) throw loiGiaTri('gauge', ten, gia_tri, false);
    const m = this.gauges.get(ten) ?? this.metric(this.gauges, 'gauge', ten, tuy_chon);
    (m.tim(labels, true) as SeriesSo).gia_tri = gia_tri;
  }

  /** Records one value in a histogram. @throws RangeError for a non-finite value */
  histogram(ten: string, gia_tri: number, labels?: Nhan, tuy_chon?: TuyChonMetric): void {
    if (typeof gia_tri !== 'number' || gia_tri - gia_tri !== 0) throw loiGiaTri('histogram', ten, gia_tri, false);
    const m = this.histograms.get(ten) ?? this.metric(this.histograms, 'histogram', ten, tuy_chon);
    const s = m.tim(labels, true) as SeriesHistogram;
    const b = s.ghi(gia_tri);
    // Inside a sampled span: that bucket's exemplar (nothing looked up when none is open).
    const sc = span_mau();
    if (sc !== undefined) (s.exemplar ??= new OExemplar(s.bucket.length)).ghi(b, sc, gia_tri);
  }

  /**
   * Starts a timer (bộ hẹn giờ); `ket_thuc()` (or leaving a `using` block)
   * records the elapsed milliseconds in histogram `ten`, once.
   */
  timer(ten: string, labels?: Nhan): HenGio {
    // Checked now, so a bad name fails at timer(), not at ket_thuc().
    const m = this.histograms.get(ten) ?? this.metric(this.histograms, 'histogram', ten, undefined);
    if (labels !== undefined) m.tim(labels, false); // validates the labels now too
    const bd = performance.now();
    let ms: number | undefined;
    const ket_thuc = (): number => {
      if (ms === undefined) {
        ms = performance.now() - bd;
        this.histogram(ten, ms, labels);
      }
      return ms;
    };
    return { ket_thuc, [Symbol.dispose]: () => void ket_thuc() };
  }

  /** A counter's value; 0 when unknown. */
  lay_counter(ten: string, labels?: Nhan): number {
    return this.counters.get(ten)?.tim(labels, false)?.gia_tri ?? 0;
  }

  /** A gauge's value; 0 when unknown. */
  lay_gauge(ten: string, labels?: Nhan): number {
    return this.gauges.get(ten)?.tim(labels, false)?.gia_tri ?? 0;
  }

  /** count/mean/std/min/max exact (std population, like numpy); p50..p99 within 1% (count 0 when unknown). */
  lay_histogram_stats(ten: string, labels?: Nhan): ThongKeHistogram {
    return thong_ke_histogram(this.histograms.get(ten)?.tim(labels, false));
  }

  /** Prometheus text of this instance's metrics, from one collection of the one pipeline. */
  export_prometheus(): Promise<string> {
    const scope = this.scope;
    return pipeline_hoac_mac_dinh().export_prometheus({ loc_scope: (s) => s === scope, don_vi_co_so: true });
  }

  /** Every series, keyed by name + canonical labels (`name{a="x",b="y"}`), labelled histograms kept apart. */
  export_json(): { counters: Record<string, number>; gauges: Record<string, number>; histograms: Record<string, ThongKeHistogram>; uptime_s: number } {
    const counters: Record<string, number> = {};
    const gauges: Record<string, number> = {};
    const histograms: Record<string, ThongKeHistogram> = {};
    for (const m of this.counters.values()) for (const s of m.tat_ca()) counters[m.ten + s.khoa] = s.gia_tri;
    for (const m of this.gauges.values()) for (const s of m.tat_ca()) gauges[m.ten + s.khoa] = s.gia_tri;
    for (const m of this.histograms.values()) for (const s of m.tat_ca()) histograms[m.ten + s.khoa] = thong_ke_histogram(s);
    return { counters, gauges, histograms, uptime_s: (performance.now() - this.bat_dau) / 1000 };
  }

  /** Forgets every metric and series: nothing recorded before shows in reads or exports. */
  reset(): void {
    this.counters = new Map();
    this.gauges = new Map();
    this.histograms = new Map();
    this.traHetTen();
  }

  private traHetTen(): void {
    for (const tra of this.traTen) tra();
    this.traTen = [];
  }

  /** Counts: namespace, metrics per type, series, overflowed recordings, the limit, uptime. */
  thong_ke(): {
    ten: string;
    scope: string;
    so_counters: number;
    so_gauges: number;
    so_histograms: number;
    so_series: number;
    so_lan_tran: number;
    gioi_han_series: number;
    uptime_s: number;
  } {
    let so_series = 0;
    let so_lan_tran = 0;
    for (const b of [this.counters, this.gauges, this.histograms] as Array<Map<string, Metric<SeriesSo | SeriesHistogram>>>) {
      for (const m of b.values()) {
        so_series += m.so_series + (m.tran === undefined ? 0 : 1);
        so_lan_tran += m.so_lan_tran;
      }
    }
    return {
      ten: this.ten,
      scope: this.scope,
      so_counters: this.counters.size,
      so_gauges: this.gauges.size,
      so_histograms: this.histograms.size,
      so_series,
      so_lan_tran,
      gioi_han_series: this.gioiHan(),
      uptime_s: (performance.now() - this.bat_dau) / 1000,
    };
  }

  /** Removes this instance from the pipeline (its metrics stop being exported). Idempotent. */
  dong(): void {
    const go = this.goNhaSanXuat;
    this.goNhaSanXuat = undefined;
    if (go === undefined) return;
    go();
    this.traHetTen();
    const goc = this.scope.replace(/#\d+$/, '');
    const n = (scopeDangDung.get(goc) ?? 1) - 1;
    if (n <= 0) scopeDangDung.delete(goc);
    else scopeDangDung.set(goc, n);
  }

  /** The producer: this instance's series as OTel data for one collection. */
  private thu_thap(gioi_han: number): ScopeMetrics | undefined {
    const metrics: MetricData[] = [];
    const bay_gio = hrMs(Date.now());
    for (const m of this.counters.values()) {
      const dataPoints = diemSo(m, gioi_han, bay_gio, true);
      if (dataPoints.length > 0) {
        metrics.push({
          descriptor: { name: m.ten_otel, description: m.mo_ta, unit: m.don_vi_otel, valueType: ValueType.DOUBLE },
          aggregationTemporality: AggregationTemporality.CUMULATIVE,
          dataPointType: DataPointType.SUM,
          isMonotonic: true,
          dataPoints,
        });
      }
    }
    for (const m of this.gauges.values()) {
      const dataPoints = diemSo(m, gioi_han, bay_gio, false);
      if (dataPoints.length > 0) {
        metrics.push({
          descriptor: { name: m.ten_otel, description: m.mo_ta, unit: m.don_vi_otel, valueType: ValueType.DOUBLE },
          aggregationTemporality: AggregationTemporality.CUMULATIVE,
          dataPointType: DataPointType.GAUGE,
          dataPoints,
        });
      }
    }
    for (const m of this.histograms.values()) {
      const dataPoints = diemHistogram(m, gioi_han, bay_gio);
      if (dataPoints.length > 0) {
        metrics.push({
          descriptor: { name: m.ten_otel, description: m.mo_ta, unit: m.don_vi_otel, valueType: ValueType.DOUBLE },
          aggregationTemporality: AggregationTemporality.CUMULATIVE,
          dataPointType: DataPointType.HISTOGRAM,
          dataPoints,
        });
      }
    }
    if (metrics.length === 0) return undefined;
    return { scope: { name: this.scope, version: PHIEN_BAN }, metrics };
  }
}

/**
 * The series to report under a limit: when the pipeline's limit is lower
 * than the one recording used (an SDK started later with a smaller one), the
 * excess folds into the overflow series, as OTel's own storage would do.
 */
function chonSeries<S extends SeriesSo | SeriesHistogram>(m: Metric<S>, gioi_han: number): { giu: S[]; thua: S[] } {
  const giu: S[] = [];
  const thua: S[] = [];
  const max = Math.max(1, gioi_han) - 1;
  for (const s of m.tat_ca()) {
    if (s === m.tran) continue;
    if (giu.length < max) giu.push(s);
    else thua.push(s);
  }
  if (m.tran !== undefined) thua.push(m.tran);
  return { giu, thua };
}

function diemSo(m: Metric<SeriesSo>, gioi_han: number, bay_gio: HrTime, cong: boolean) {
  const { giu, thua } = chonSeries(m, gioi_han);
  const k = m.he_so;
  const ra = giu.map((s) => ({ startTime: s.bat_dau, endTime: bay_gio, attributes: s.nhan, value: nhan_he_so(s.gia_tri, k) }));
  if (thua.length > 0) {
    // Counters add up; a gauge's overflow keeps the last series' value.
    const v = cong ? thua.reduce((a, s) => a + s.gia_tri, 0) : (thua[thua.length - 1] as SeriesSo).gia_tri;
    ra.push({ startTime: (thua[0] as SeriesSo).bat_dau, endTime: bay_gio, attributes: NHAN_TRAN, value: nhan_he_so(v, k) });
  }
  return ra;
}

function diemHistogram(m: Metric<SeriesHistogram>, gioi_han: number, bay_gio: HrTime) {
  const { giu, thua } = chonSeries(m, gioi_han);
  let tran: SeriesHistogram | undefined;
  if (thua.length === 1) tran = thua[0];
  else if (thua.length > 1) {
    tran = new SeriesHistogram(NHAN_TRAN, '', (thua[0] as SeriesHistogram).bat_dau, m.bien);
    for (const s of thua) tran.gop(s);
  }
  const ds = tran === undefined ? giu : [...giu, tran];
  const k = m.he_so;
  return ds.map((s) => ({
    startTime: s.bat_dau,
    endTime: bay_gio,
    attributes: s === tran ? NHAN_TRAN : s.nhan,
    value: {
      buckets: { boundaries: m.bien_otel, counts: Array.from(s.bucket) },
      sum: nhan_he_so(s.tong, k),
      count: s.dem,
      ...(s.dem > 0 ? { min: nhan_he_so(s.min, k), max: nhan_he_so(s.max, k) } : {}),
    },
    ...(s.exemplar === undefined ? {} : { exemplars: s.exemplar.chup((v) => nhan_he_so(v, k)) }),
  }));
}

