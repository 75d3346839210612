/**
 * LamNongModel's telemetry: a span per warm-up with an event per run,
 * `log_model_event`-style log records (`warmup_ok` / `warmup_loi`), and
 * metrics through ONE module-level source over the live instances, held
 * weakly so a dropped LamNongModel is collected rather than pinned by its
 * registration:
 *
 * - `lam_nong.da_warmup` (observable gauge): 1 when the model is warmed, else 0, per `model_name`;
 * - `lam_nong.so_lan` (observable counter): finished warm-ups per `model_name` and `trang_thai`;
 * - `lam_nong.thoi_gian` (histogram, s): wall time of each warm-up, per `model_name` and `trang_thai`.
 *
 * Warm-ups are rare, so the histogram is a real OTel histogram made on the
 * meter the source is given (a warm-up finished while no pipeline exists is
 * not in it; the counter, read from plain fields, still counts it).
 * Nothing here may throw into user code.
 */
import { SeverityNumber, type Attributes, type Histogram, type BatchObservableResult, type Observable, type Span } from '@opentelemetry/api';
import { add_span_event, emit_log_record, library_tracer, seconds_histogram } from '../core/telemetry.js';
import { lazy_metric_source, observe_batch } from '../core/lazy-source.js';
import { WeakTracker } from '../core/weak-set.js';
import { LIBRARY_VERSION } from '../core/version.js';
import { report_failure } from '../core/report.js';

/** Metric scope (so `export_prometheus({ loc_scope })` can pick LamNongModel alone). */
export const SCOPE_METRIC = 'vietnamese-ai-otel/lamnong';

/** Bucket bounds (s): warm-ups range from a millisecond (tiny ONNX) to minutes (large models). */
const DURATION_BUCKETS_S = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

/** The tracer; looked up per warm-up since the SDK may start later. */
export { library_tracer as tracer };

/** Runs `f` and reports what it throws to `diag`: telemetry never breaks a warm-up. */
export function guard_telemetry(f: () => void): void {
  try {
    f();
  } catch (e) {
    report_failure('LamNongModel telemetry', e);
  }
}

/** Adds an event to `span`, never throwing. */
export function add_event(span: Span, name: string, attributes: Attributes): void {
  add_span_event('LamNongModel', span, name, attributes);
}

/**
 * A model lifecycle log record, shaped like LoggerCauTruc's
 * `log_model_event(event, model_name, extra)`: attributes `event` and
 * `model_name` plus the extra fields. Emitted in the warm-up span's context,
 * so it carries its trace and span ids.
 */
export function emit_model_event(event: string, model_name: string, extra: Attributes, is_error: boolean): void {
  emit_log_record('LamNongModel', {
    eventName: `lam_nong.${event}`,
    severityNumber: is_error ? SeverityNumber.ERROR : SeverityNumber.INFO,
    severityText: is_error ? 'ERROR' : 'INFO',
    body: `Model event: ${event} (${model_name})`,
    attributes: { event, model_name, ...extra },
  });
}

/** One model's numbers for a collection (plain fields only; `so_lieu_metric()` returns them). */
export interface ModelMetrics {
  ten: string;
  da_warmup: boolean;
  so_ok: number;
  so_loi: number;
}

/** An instance as the metric source sees it. */
export interface WarmupMetricSource {
  so_lieu_metric(): ModelMetrics[];
}

const live = new WeakTracker<WarmupMetricSource>();
let durationHistogram: Histogram | undefined;

/**
 * Finished warm-ups per model name and outcome, for the whole process.
 * Counted when a warm-up finishes, not read from the instances: a counter
 * must never go down when a model is removed or re-registered or its
 * instance is garbage-collected, and two instances warming one name add up
 * instead of reporting one series twice.
 */
const finishedByModel = new Map<string, { ok: number; loi: number }>();

function liveModels(): ModelMetrics[] {
  const out: ModelMetrics[] = [];
  for (const instance of live) out.push(...instance.so_lieu_metric());
  return out;
}

/** One collection: whether each live model is warmed, and the finished warm-ups per model and outcome. */
function observeWarmups(o: BatchObservableResult, warmedGauge: Observable, finishedCounter: Observable): void {
  for (const m of liveModels()) o.observe(warmedGauge, m.da_warmup ? 1 : 0, { model_name: m.ten });
  for (const [name, n] of finishedByModel) {
    o.observe(finishedCounter, n.ok, { model_name: name, trang_thai: 'ok' });
    o.observe(finishedCounter, n.loi, { model_name: name, trang_thai: 'loi' });
  }
}

const declareSource = lazy_metric_source(
  SCOPE_METRIC,
  (meter) => {
    const warmedGauge = meter.createObservableGauge('lam_nong.da_warmup', { description: 'Whether each registered model is warmed: 1 warmed, 0 not.' });
    const finishedCounter = meter.createObservableCounter('lam_nong.so_lan', { description: 'Finished warm-ups per model and outcome (ok, loi).' });
    const stopObserving = observe_batch(meter, [warmedGauge, finishedCounter], (o) => observeWarmups(o, warmedGauge, finishedCounter));
    durationHistogram = seconds_histogram(meter, 'lam_nong.thoi_gian', 'Wall time of each model warm-up.', DURATION_BUCKETS_S);
    return () => {
      stopObserving();
      durationHistogram = undefined;
    };
  },
  LIBRARY_VERSION,
);

/** Adds an instance to the module's metric source (declared on first use). */
export function track(instance: WarmupMetricSource): void {
  live.add(instance);
  declareSource();
}

/** Records one finished warm-up: its duration, and the per-name count. Never throws. */
export function record_warmup(model_name: string, duration_ms: number, outcome: 'ok' | 'loi'): void {
  let n = finishedByModel.get(model_name);
  if (n === undefined) finishedByModel.set(model_name, (n = { ok: 0, loi: 0 }));
  n[outcome]++;
  const h = durationHistogram;
  if (h === undefined) return;
  guard_telemetry(() => h.record(duration_ms / 1000, { model_name, trang_thai: outcome }));
}
