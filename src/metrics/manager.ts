/**
 * QuanLyMetrics (metrics manager): the seed's counter/gauge/histogram/timer
 * API as real OpenTelemetry metrics on the one pipeline.
 *
 * Recording touches only this object's own storage (see instrument.ts): a Map
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
import { AggregationTemporality, DataPointType, type MetricData, type MetricDescriptor, type ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { dang_ky_nha_san_xuat, pipeline_hien_tai, the_he_pipeline } from '../core/registry.js';
import { pipeline_hoac_mac_dinh } from '../pipeline/embedded.js';
import { claim_names } from './exposition-names.js';
import { Instrument, type TuyChonMetric } from './instrument.js';
import { ExemplarSlots, sampled_span } from '../core/exemplar.js';
import { scale_to_base } from '../core/prometheus-names.js';
import { hr_now, OVERFLOW_ATTRIBUTES, HistogramSeries, NumberSeries, histogram_stats, type ThongKeHistogram } from './series.js';
import { check_metric_name, check_namespace, type MetricKind } from './names.js';
import { metric_options, namespace_option } from './options.js';
import { LIBRARY_VERSION } from '../core/version.js';

export type { TuyChonMetric } from './instrument.js';
export type { ThongKeHistogram } from './series.js';

/** Default histogram boundaries (biên bucket mặc định), in milliseconds: sub-ms to a minute. */
export const BIEN_BUCKET_MAC_DINH: readonly number[] = Object.freeze([0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000]);

/** Used until a pipeline exists (the embedded one uses the same figure). */
const DEFAULT_SERIES_LIMIT = 2000;

/** Constructor options (tùy chọn). */
export interface TuyChonQuanLyMetrics {
  /** Namespace prefix of every metric name (default "vietnamese_ai"; '' for none). */
  ten?: string;
}

/** Handle of `timer()` (bộ hẹn giờ): `ket_thuc()` (end) records once and returns the ms. */
export interface HenGio {
  ket_thuc(): number;
  [Symbol.dispose](): void;
}

type Labels = Record<string, string> | undefined;
type AnySeries = NumberSeries | HistogramSeries;

/** Scope name -> instances using it, so a second instance of a namespace gets `#2`. */
const scopesInUse = new Map<string, number>();

function valueError(kind: MetricKind, name: string, v: unknown, nonNegative: boolean): Error {
  if (typeof v !== 'number') return new TypeError(`QuanLyMetrics.${kind}(${JSON.stringify(name)}): value must be a number, got ${typeof v}`);
  return new RangeError(`QuanLyMetrics.${kind}(${JSON.stringify(name)}): value must be ${nonNegative ? 'a finite number >= 0' : 'finite'}, got ${v}`);
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
  private counters = new Map<string, Instrument<NumberSeries>>();
  private gauges = new Map<string, Instrument<NumberSeries>>();
  private histograms = new Map<string, Instrument<HistogramSeries>>();
  private readonly startedAt = performance.now();
  private cachedLimit = DEFAULT_SERIES_LIMIT;
  private cachedGeneration = -1;
  private unregisterProducer: (() => void) | undefined;
  /** How error messages name this instance: the namespace, and its number when several share it. */
  private readonly owner: string;
  /** Frees the exposition names of every metric created (reset, dong). */
  private releaseNames: Array<() => void> = [];
  /** The pipeline's series limit, read again only when the pipeline changed. */
  private readonly seriesLimit = (): number => {
    const generation = the_he_pipeline();
    if (generation !== this.cachedGeneration) {
      this.cachedGeneration = generation;
      this.cachedLimit = pipeline_hien_tai()?.gioi_han_series ?? DEFAULT_SERIES_LIMIT;
    }
    return this.cachedLimit;
  };

  constructor(ten?: string | TuyChonQuanLyMetrics) {
    this.ten = check_namespace(namespace_option(ten) ?? 'vietnamese_ai');
    const baseScope = `vietnamese-ai-otel/metrics/${this.ten === '' ? '_' : this.ten}`;
    const n = (scopesInUse.get(baseScope) ?? 0) + 1;
    scopesInUse.set(baseScope, n);
    this.scope = n === 1 ? baseScope : `${baseScope}#${n}`;
    this.owner = `QuanLyMetrics(${JSON.stringify(this.ten)})${n === 1 ? '' : ` #${n}`}`;
    this.unregisterProducer = dang_ky_nha_san_xuat({ thu_thap: (limit) => this.collect(limit) });
  }

  /** Creates metric `name` of `kind` in `table` (the first call with that name). */
  private instrument<S extends AnySeries>(table: Map<string, Instrument<S>>, kind: MetricKind, name: string, options: TuyChonMetric | undefined): Instrument<S> {
    let m = table.get(name);
    if (m !== undefined) return m;
    const checked = check_metric_name(name, kind);
    const settings = metric_options(kind, options, {
      description: `${kind} ${name} (QuanLyMetrics ${this.ten === '' ? 'default' : this.ten})`,
      unit: checked.unit ?? '',
      boundaries: kind === 'histogram' ? BIEN_BUCKET_MAC_DINH : [],
    });
    this.rejectOtherKind(kind, name);
    const otelName = this.ten === '' ? checked.name : `${this.ten}_${checked.name}`;
    m = new Instrument<S>(kind, name, otelName, settings.description, settings.unit, settings.boundaries, this.seriesLimit);
    this.releaseNames.push(claim_names(kind, otelName, m.otelUnit, `${this.owner}.${kind}(${JSON.stringify(name)})`));
    table.set(name, m);
    return m;
  }

  /** One name is one metric: a counter `x` cannot also be a gauge `x`. */
  private rejectOtherKind(kind: MetricKind, name: string): void {
    for (const [table, other] of [
      [this.counters, 'counter'],
      [this.gauges, 'gauge'],
      [this.histograms, 'histogram'],
    ] as const) {
      if (other !== kind && table.has(name)) throw new TypeError(`QuanLyMetrics.${kind}: ${JSON.stringify(name)} is already a ${other}`);
    }
  }

  /** Adds `gia_tri` (default 1) to a counter. @throws RangeError for a negative or non-finite increment */
  counter(ten: string, labels?: Labels, gia_tri = 1, tuy_chon?: TuyChonMetric): void {
    if (typeof gia_tri !== 'number' || !(gia_tri >= 0 && gia_tri < Infinity)) throw valueError('counter', ten, gia_tri, true);
    const m = this.counters.get(ten) ?? this.instrument(this.counters, 'counter', ten, tuy_chon);
    (m.find(labels, true) as NumberSeries).value += gia_tri;
  }

  /** Sets a gauge. @throws RangeError for a non-finite value */
  gauge(ten: string, gia_tri: number, labels?: Labels, tuy_chon?: TuyChonMetric): void {
    if (typeof gia_tri !== 'number' || gia_tri - gia_tri !== 0) throw valueError('gauge', ten, gia_tri, false);
    const m = this.gauges.get(ten) ?? this.instrument(this.gauges, 'gauge', ten, tuy_chon);
    (m.find(labels, true) as NumberSeries).value = gia_tri;
  }

  /** Records one value in a histogram. @throws RangeError for a non-finite value */
  histogram(ten: string, gia_tri: number, labels?: Labels, tuy_chon?: TuyChonMetric): void {
    if (typeof gia_tri !== 'number' || gia_tri - gia_tri !== 0) throw valueError('histogram', ten, gia_tri, false);
    const m = this.histograms.get(ten) ?? this.instrument(this.histograms, 'histogram', ten, tuy_chon);
    const s = m.find(labels, true) as HistogramSeries;
    const bucket = s.record(gia_tri);
    // Inside a sampled span: that bucket's exemplar (nothing looked up when none is open).
    const sc = sampled_span();
    if (sc !== undefined) (s.exemplars ??= new ExemplarSlots(s.buckets.length)).record(bucket, sc, gia_tri);
  }

  /**
   * Starts a timer (bộ hẹn giờ); `ket_thuc()` (or leaving a `using` block)
   * records the elapsed milliseconds in histogram `ten`, once.
   */
  timer(ten: string, labels?: Labels): HenGio {
    // Checked now, so a bad name fails at timer(), not at ket_thuc().
    const m = this.histograms.get(ten) ?? this.instrument(this.histograms, 'histogram', ten, undefined);
    if (labels !== undefined) m.find(labels, false); // validates the labels now too
    const start = performance.now();
    let ms: number | undefined;
    const end = (): number => {
      if (ms === undefined) {
        ms = performance.now() - start;
        this.histogram(ten, ms, labels);
      }
      return ms;
    };
    return { ket_thuc: end, [Symbol.dispose]: () => void end() };
  }

  /** A counter's value; 0 when unknown. */
  lay_counter(ten: string, labels?: Labels): number {
    return this.counters.get(ten)?.find(labels, false)?.value ?? 0;
  }

  /** A gauge's value; 0 when unknown. */
  lay_gauge(ten: string, labels?: Labels): number {
    return this.gauges.get(ten)?.find(labels, false)?.value ?? 0;
  }

  /** count/mean/std/min/max exact (std population, like numpy); p50..p99 within 1% (count 0 when unknown). */
  lay_histogram_stats(ten: string, labels?: Labels): ThongKeHistogram {
    return histogram_stats(this.histograms.get(ten)?.find(labels, false));
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
    for (const m of this.counters.values()) for (const s of m.all()) counters[m.name + s.key] = s.value;
    for (const m of this.gauges.values()) for (const s of m.all()) gauges[m.name + s.key] = s.value;
    for (const m of this.histograms.values()) for (const s of m.all()) histograms[m.name + s.key] = histogram_stats(s);
    return { counters, gauges, histograms, uptime_s: this.uptimeSeconds() };
  }

  /** Forgets every metric and series: nothing recorded before shows in reads or exports. */
  reset(): void {
    this.counters = new Map();
    this.gauges = new Map();
    this.histograms = new Map();
    this.releaseAllNames();
  }

  private releaseAllNames(): void {
    for (const release of this.releaseNames) release();
    this.releaseNames = [];
  }

  private uptimeSeconds(): number {
    return (performance.now() - this.startedAt) / 1000;
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
    let series = 0;
    let overflowed = 0;
    for (const table of [this.counters, this.gauges, this.histograms] as Array<Map<string, Instrument<AnySeries>>>) {
      for (const m of table.values()) {
        series += m.seriesCount + (m.overflow === undefined ? 0 : 1);
        overflowed += m.overflowCount;
      }
    }
    return {
      ten: this.ten,
      scope: this.scope,
      so_counters: this.counters.size,
      so_gauges: this.gauges.size,
      so_histograms: this.histograms.size,
      so_series: series,
      so_lan_tran: overflowed,
      gioi_han_series: this.seriesLimit(),
      uptime_s: this.uptimeSeconds(),
    };
  }

  /** Removes this instance from the pipeline (its metrics stop being exported). Idempotent. */
  dong(): void {
    const unregister = this.unregisterProducer;
    this.unregisterProducer = undefined;
    if (unregister === undefined) return;
    unregister();
    this.releaseAllNames();
    const baseScope = this.scope.replace(/#\d+$/, '');
    const n = (scopesInUse.get(baseScope) ?? 1) - 1;
    if (n <= 0) scopesInUse.delete(baseScope);
    else scopesInUse.set(baseScope, n);
  }

  /** The producer: this instance's series as OTel data for one collection, under the pipeline's series limit. */
  private collect(limit: number): ScopeMetrics | undefined {
    const metrics: MetricData[] = [];
    const now = hr_now();
    for (const [table, isCounter] of [
      [this.counters, true],
      [this.gauges, false],
    ] as const) {
      for (const m of table.values()) {
        const dataPoints = numberPoints(m, limit, now, isCounter);
        if (dataPoints.length === 0) continue;
        const descriptor = descriptorOf(m);
        const temporality = AggregationTemporality.CUMULATIVE;
        metrics.push(
          isCounter
            ? { descriptor, aggregationTemporality: temporality, dataPointType: DataPointType.SUM, isMonotonic: true, dataPoints }
            : { descriptor, aggregationTemporality: temporality, dataPointType: DataPointType.GAUGE, dataPoints },
        );
      }
    }
    for (const m of this.histograms.values()) {
      const dataPoints = histogramPoints(m, limit, now);
      if (dataPoints.length === 0) continue;
      metrics.push({ descriptor: descriptorOf(m), aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.HISTOGRAM, dataPoints });
    }
    if (metrics.length === 0) return undefined;
    return { scope: { name: this.scope, version: LIBRARY_VERSION }, metrics };
  }
}

function descriptorOf(m: Instrument<AnySeries>): MetricDescriptor {
  return { name: m.otelName, description: m.description, unit: m.otelUnit, valueType: ValueType.DOUBLE };
}

/**
 * The series to report under a limit: when the pipeline's limit is lower
 * than the one recording used (an SDK started later with a smaller one), the
 * excess folds into the overflow series, as OTel's own storage would do.
 */
function splitAtLimit<S extends AnySeries>(m: Instrument<S>, limit: number): { kept: S[]; excess: S[] } {
  const kept: S[] = [];
  const excess: S[] = [];
  const max = Math.max(1, limit) - 1;
  for (const s of m.all()) {
    if (s === m.overflow) continue;
    if (kept.length < max) kept.push(s);
    else excess.push(s);
  }
  if (m.overflow !== undefined) excess.push(m.overflow);
  return { kept, excess };
}

function numberPoints(m: Instrument<NumberSeries>, limit: number, now: HrTime, isCounter: boolean) {
  const { kept, excess } = splitAtLimit(m, limit);
  const scale = m.scale;
  const points = kept.map((s) => ({ startTime: s.startTime, endTime: now, attributes: s.attributes, value: scale_to_base(s.value, scale) }));
  if (excess.length > 0) {
    // Counters add up; a gauge's overflow keeps the last series' value.
    const v = isCounter ? excess.reduce((a, s) => a + s.value, 0) : (excess[excess.length - 1] as NumberSeries).value;
    points.push({ startTime: (excess[0] as NumberSeries).startTime, endTime: now, attributes: OVERFLOW_ATTRIBUTES, value: scale_to_base(v, scale) });
  }
  return points;
}

function histogramPoints(m: Instrument<HistogramSeries>, limit: number, now: HrTime) {
  const { kept, excess } = splitAtLimit(m, limit);
  let overflow: HistogramSeries | undefined;
  if (excess.length === 1) overflow = excess[0];
  else if (excess.length > 1) {
    overflow = new HistogramSeries(OVERFLOW_ATTRIBUTES, '', (excess[0] as HistogramSeries).startTime, m.boundaries);
    for (const s of excess) overflow.merge(s);
  }
  const all = overflow === undefined ? kept : [...kept, overflow];
  const scale = m.scale;
  return all.map((s) => ({
    startTime: s.startTime,
    endTime: now,
    attributes: s === overflow ? OVERFLOW_ATTRIBUTES : s.attributes,
    value: {
      buckets: { boundaries: m.otelBoundaries, counts: Array.from(s.buckets) },
      sum: scale_to_base(s.sum, scale),
      count: s.count,
      ...(s.count > 0 ? { min: scale_to_base(s.min, scale), max: scale_to_base(s.max, scale) } : {}),
    },
    ...(s.exemplars === undefined ? {} : { exemplars: s.exemplars.snapshot((v) => scale_to_base(v, scale)) }),
  }));
}
