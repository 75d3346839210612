/**
 * Exemplars for histograms made through the OpenTelemetry metrics API
 * (OTel's HTTP instrumentation's `http.server.request.duration`, the
 * facades' OTel histograms such as `lam_nong.thoi_gian`, a user's own): the
 * OTel JS SDK keeps none, so the pipeline hands out meters whose histograms
 * record into the SDK as usual and, inside a sampled span, also note that
 * bucket's exemplar here. After each collection `gan_exemplar()` puts them on
 * the matching data points (same scope, instrument and attributes). Each
 * pipeline has its own store, so a pipeline never shows exemplars of values
 * another one counted.
 *
 * Bounded: one exemplar per bucket, at most GIOI_HAN_SERIES attribute sets
 * per instrument (further sets get no exemplar, their values still count).
 * A span processor counts the sampled spans open, so with none open a
 * recording costs one number read more than OTel's own.
 */
import type { Attributes, Context, Histogram, Meter, MeterOptions, MeterProvider, MetricOptions } from '@opentelemetry/api';
import { DataPointType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { chi_so_bucket, dem_span_mau, OExemplar, span_mau, type CoExemplar } from '../core/exemplar.js';

/** OTel's default explicit buckets (used when an instrument gives no advice). */
const BIEN_MAC_DINH = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
const GIOI_HAN_SERIES = 2000;

interface KhoInstrument {
  readonly bien: readonly number[];
  readonly series: Map<string, OExemplar>;
}

/** A canonical key of an attribute set (order-free). */
function khoaThuocTinh(a: Attributes | undefined): string {
  if (a === undefined) return '';
  const ks = Object.keys(a).sort();
  let s = '';
  for (const k of ks) s += `${JSON.stringify(k)}:${JSON.stringify(a[k])},`;
  return s;
}

function ghiExemplar(ki: KhoInstrument, value: number, attributes: Attributes | undefined, ctx: Context | undefined): void {
  const sc = span_mau(ctx);
  if (sc === undefined) return;
  try {
    const k = khoaThuocTinh(attributes);
    let o = ki.series.get(k);
    if (o === undefined) {
      if (ki.series.size >= GIOI_HAN_SERIES) return;
      o = new OExemplar(ki.bien.length + 1);
      ki.series.set(k, o);
    }
    o.ghi(chi_so_bucket(ki.bien, value), sc, value);
  } catch {
    // An exemplar must never break a recording.
  }
}

function bocMeter(m: Meter, scope: string, kho: Map<string, KhoInstrument>): Meter {
  return {
    createHistogram(name: string, options?: MetricOptions): Histogram {
      const h = m.createHistogram(name, options);
      const khoa = `${scope}\u0000${name}`;
      let ki = kho.get(khoa);
      if (ki === undefined) {
        ki = { bien: options?.advice?.explicitBucketBoundaries ?? BIEN_MAC_DINH, series: new Map() };
        kho.set(khoa, ki);
      }
      const k = ki;
      return {
        record(value: number, attributes?: Attributes, ctx?: Context): void {
          h.record(value, attributes, ctx);
          ghiExemplar(k, value, attributes, ctx);
        },
      };
    },
    createGauge: (n, o) => m.createGauge(n, o),
    createCounter: (n, o) => m.createCounter(n, o),
    createUpDownCounter: (n, o) => m.createUpDownCounter(n, o),
    createObservableGauge: (n, o) => m.createObservableGauge(n, o),
    createObservableCounter: (n, o) => m.createObservableCounter(n, o),
    createObservableUpDownCounter: (n, o) => m.createObservableUpDownCounter(n, o),
    addBatchObservableCallback: (cb, obs) => m.addBatchObservableCallback(cb, obs),
    removeBatchObservableCallback: (cb, obs) => m.removeBatchObservableCallback(cb, obs),
  };
}

/** One pipeline's exemplar store (kho exemplar). */
export class KhoExemplar {
  /** scope \0 instrument name -> its exemplars, bounded per instrument. */
  private readonly kho = new Map<string, KhoInstrument>();

  /** `mp` whose histograms also keep their exemplars here (bọc: wrap). */
  boc(mp: MeterProvider): MeterProvider {
    return {
      getMeter: (name: string, version?: string, options?: MeterOptions) => bocMeter(mp.getMeter(name, version, options), name, this.kho),
    };
  }

  /** Puts the kept exemplars on the histogram data points of a collection (gắn exemplar). */
  gan(rm: ResourceMetrics): void {
    ganExemplar(this.kho, rm);
  }
}

function ganExemplar(kho: Map<string, KhoInstrument>, rm: ResourceMetrics): void {
  if (kho.size === 0) return;
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      if (m.dataPointType !== DataPointType.HISTOGRAM) continue;
      const ki = kho.get(`${sm.scope.name}\u0000${m.descriptor.name}`);
      if (ki === undefined || ki.series.size === 0) continue;
      for (const dp of m.dataPoints) {
        const o = ki.series.get(khoaThuocTinh(dp.attributes));
        if (o !== undefined) (dp as CoExemplar).exemplars = o.chup();
      }
    }
  }
}

/**
 * Counts the sampled spans open (bộ đếm span mẫu), so exemplar capture costs
 * nothing while there are none. Only recording spans reach processors.
 */
export class BoDemSpanMau implements SpanProcessor {
  /** Ends not yet counted: OTel's HTTP instrumentation records the request duration just AFTER ending its span. */
  private choTru = 0;
  private readonly tru = (): void => {
    const n = this.choTru;
    this.choTru = 0;
    for (let i = 0; i < n; i++) dem_span_mau(-1);
  };

  onStart(span: Span): void {
    if ((span.spanContext().traceFlags & 1) === 1) dem_span_mau(1);
  }

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & 1) !== 1) return;
    // Counted down on the next turn, so what runs right after end() still finds the span.
    if (this.choTru++ === 0) setImmediate(this.tru).unref();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
