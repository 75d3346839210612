/**
 * Exemplars for histograms made through the OpenTelemetry metrics API
 * (OTel's HTTP instrumentation's `http.server.request.duration`, the
 * facades' OTel histograms such as `lam_nong.thoi_gian`, a user's own): the
 * OTel JS SDK keeps none, so the pipeline hands out meters whose histograms
 * record into the SDK as usual and, inside a sampled span, also note that
 * bucket's exemplar here. After each collection `ExemplarStore.attach()` puts them on
 * the matching data points (same scope, instrument and attributes). Each
 * pipeline has its own store, so a pipeline never shows exemplars of values
 * another one counted.
 *
 * Bounded: one exemplar per bucket, at most MAX_SERIES attribute sets
 * per instrument (further sets get no exemplar, their values still count).
 * A span processor counts the sampled spans open, so with none open a
 * recording costs one number read more than OTel's own.
 */
import type { Attributes, Context, Histogram, Meter, MeterOptions, MeterProvider, MetricOptions } from '@opentelemetry/api';
import { DataPointType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { bucket_index, count_sampled_span, ExemplarSlots, sampled_span, type WithExemplars } from '../core/exemplar.js';

/** OTel's default explicit buckets (used when an instrument gives no advice). */
const DEFAULT_BOUNDARIES = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
/** Attribute sets per instrument that may keep exemplars. */
const MAX_SERIES = 2000;

/** One histogram instrument's exemplars: its bucket boundaries and one exemplar slot set per attribute set. */
interface InstrumentExemplars {
  readonly boundaries: readonly number[];
  readonly series: Map<string, ExemplarSlots>;
}

/** A canonical key of an attribute set (order-free). */
function attributesKey(a: Attributes | undefined): string {
  if (a === undefined) return '';
  const keys = Object.keys(a).sort();
  let s = '';
  for (const k of keys) s += `${JSON.stringify(k)}:${JSON.stringify(a[k])},`;
  return s;
}

function recordExemplar(instrument: InstrumentExemplars, value: number, attributes: Attributes | undefined, ctx: Context | undefined): void {
  const sc = sampled_span(ctx);
  if (sc === undefined) return;
  try {
    const k = attributesKey(attributes);
    let slots = instrument.series.get(k);
    if (slots === undefined) {
      if (instrument.series.size >= MAX_SERIES) return;
      slots = new ExemplarSlots(instrument.boundaries.length + 1);
      instrument.series.set(k, slots);
    }
    slots.record(bucket_index(instrument.boundaries, value), sc, value);
  } catch {
    // An exemplar must never break a recording.
  }
}

function wrapMeter(m: Meter, scope: string, store: Map<string, InstrumentExemplars>): Meter {
  return {
    createHistogram(name: string, options?: MetricOptions): Histogram {
      const h = m.createHistogram(name, options);
      const key = `${scope}\u0000${name}`;
      let instrument = store.get(key);
      if (instrument === undefined) {
        instrument = { boundaries: options?.advice?.explicitBucketBoundaries ?? DEFAULT_BOUNDARIES, series: new Map() };
        store.set(key, instrument);
      }
      const exemplars = instrument;
      return {
        record(value: number, attributes?: Attributes, ctx?: Context): void {
          h.record(value, attributes, ctx);
          recordExemplar(exemplars, value, attributes, ctx);
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

/** One pipeline's exemplar store. */
export class ExemplarStore {
  /** scope \0 instrument name -> its exemplars, bounded per instrument. */
  private readonly instruments = new Map<string, InstrumentExemplars>();

  /** `mp` whose histograms also keep their exemplars here. */
  wrap(mp: MeterProvider): MeterProvider {
    return {
      getMeter: (name: string, version?: string, options?: MeterOptions) => wrapMeter(mp.getMeter(name, version, options), name, this.instruments),
    };
  }

  /** Puts the kept exemplars on the histogram data points of a collection. */
  attach(rm: ResourceMetrics): void {
    attachExemplars(this.instruments, rm);
  }
}

function attachExemplars(store: Map<string, InstrumentExemplars>, rm: ResourceMetrics): void {
  if (store.size === 0) return;
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      if (m.dataPointType !== DataPointType.HISTOGRAM) continue;
      const instrument = store.get(`${sm.scope.name}\u0000${m.descriptor.name}`);
      if (instrument === undefined || instrument.series.size === 0) continue;
      for (const dp of m.dataPoints) {
        const slots = instrument.series.get(attributesKey(dp.attributes));
        if (slots !== undefined) (dp as WithExemplars).exemplars = slots.snapshot();
      }
    }
  }
}

/**
 * Counts the sampled spans open (bộ đếm span mẫu), so exemplar capture costs
 * nothing while there are none. Only recording spans reach processors.
 */
export class SampledSpanCounter implements SpanProcessor {
  /** Ends not yet counted: OTel's HTTP instrumentation records the request duration just AFTER ending its span. */
  private pendingEnds = 0;
  private readonly countPendingEnds = (): void => {
    const n = this.pendingEnds;
    this.pendingEnds = 0;
    for (let i = 0; i < n; i++) count_sampled_span(-1);
  };

  onStart(span: Span): void {
    if ((span.spanContext().traceFlags & 1) === 1) count_sampled_span(1);
  }

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & 1) !== 1) return;
    // Counted down on the next turn, so what runs right after end() still finds the span.
    if (this.pendingEnds++ === 0) setImmediate(this.countPendingEnds).unref();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
