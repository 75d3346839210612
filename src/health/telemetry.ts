/**
 * Telemetry of the health checks: one span per real run (cache hits make
 * none) with an event per check that is not ok, and metrics through ONE
 * module-level source over every live KiemTraSucKhoe (weakly held, so an
 * instance that is dropped stops reporting instead of leaking):
 *
 * - `suc_khoe.check.ok` (observable gauge): 1 when the check's last result was ok, else 0;
 * - `suc_khoe.trang_thai` (observable gauge): 1 for the current overall state, one series per state;
 * - `suc_khoe.check.thoi_gian` (histogram, s): duration of each check run.
 *
 * Checks are not a hot path (one run per cache period), so the duration
 * histogram is a real OTel histogram made on the meter the source is given.
 */
import { SpanStatusCode, type BatchObservableResult, type Histogram, type Observable, type Span } from '@opentelemetry/api';
import { lazy_metric_source, observe_batch } from '../core/lazy-source.js';
import type { KetQuaKiemTra, TrangThaiSucKhoe } from './types.js';
import { WeakTracker } from '../core/weak-set.js';
import { LIBRARY_VERSION } from '../core/version.js';
import { report_failure } from '../core/report.js';
import { library_tracer, seconds_histogram } from '../core/telemetry.js';

/** What the metric source reads from an instance (plain fields only). */
export interface HealthSource {
  readonly name: string;
  /** The newest result, if any run finished. */
  latest(): KetQuaKiemTra | undefined;
}

const SCOPE = 'vietnamese-ai-otel/suc-khoe';
const STATES: TrangThaiSucKhoe[] = ['healthy', 'degraded', 'unhealthy'];
/** Bucket bounds (s) of check durations: a millisecond (a flag) to seconds (a slow dependency). */
const CHECK_BUCKETS_S = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const sources = new WeakTracker<HealthSource>();
let durations: Histogram | undefined;

function liveSources(): HealthSource[] {
  return [...sources];
}

/** One collection: each live instance's last result, per check and overall. */
function observeHealth(o: BatchObservableResult, checkGauge: Observable, stateGauge: Observable): void {
  for (const s of liveSources()) {
    const result = s.latest();
    if (result === undefined) continue;
    for (const [check, detail] of Object.entries(result.chi_tiet)) {
      o.observe(checkGauge, detail.trang_thai === 'ok' ? 1 : 0, { suc_khoe: s.name, check, quan_trong: detail.quan_trong });
    }
    for (const state of STATES) o.observe(stateGauge, result.trang_thai === state ? 1 : 0, { suc_khoe: s.name, trang_thai: state });
  }
}

const registerSource = lazy_metric_source(
  SCOPE,
  (meter) => {
    durations = seconds_histogram(meter, 'suc_khoe.check.thoi_gian', 'Duration of health check runs.', CHECK_BUCKETS_S);
    const checkGauge = meter.createObservableGauge('suc_khoe.check.ok', { description: 'Last result of each health check: 1 ok, 0 fail or error.' });
    const stateGauge = meter.createObservableGauge('suc_khoe.trang_thai', { description: 'Overall health state: 1 on the current state.' });
    const stopObserving = observe_batch(meter, [checkGauge, stateGauge], (o) => observeHealth(o, checkGauge, stateGauge));
    return () => {
      stopObserving();
      durations = undefined;
    };
  },
  LIBRARY_VERSION,
);

/** Adds an instance to the metric source (registered on first use); returns its removal. */
export function track_health(source: HealthSource): () => void {
  registerSource();
  return sources.add(source);
}

/** Records each check's duration of a finished run. Never throws. */
export function record_check_durations(name: string, result: KetQuaKiemTra): void {
  const h = durations;
  if (h === undefined) return;
  try {
    for (const [check, detail] of Object.entries(result.chi_tiet)) {
      h.record(detail.thoi_gian_ms / 1000, { suc_khoe: name, check, trang_thai: detail.trang_thai });
    }
  } catch (e) {
    // Telemetry never breaks a health run.
    report_failure('KiemTraSucKhoe: recording check durations', e);
  }
}

/** Runs `run` inside the run's span; the span gets the outcome and an event per check not ok. */
export function in_run_span(name: string, run: () => Promise<KetQuaKiemTra>): Promise<KetQuaKiemTra> {
  // Looked up per run: a tracer kept across an SDK restart would point at the old, shut-down provider.
  return library_tracer().startActiveSpan('KiemTraSucKhoe.kiem_tra', { attributes: { 'suc_khoe.ten': name } }, async (span: Span) => {
    try {
      const result = await run();
      try {
        annotateRunSpan(span, result);
      } catch (e) {
        report_failure('KiemTraSucKhoe: annotating the run span', e);
      }
      return result;
    } finally {
      span.end();
    }
  });
}

/** An event per check that is not ok, the overall state and counts; ERROR status when unhealthy. */
function annotateRunSpan(span: Span, result: KetQuaKiemTra): void {
  let notOk = 0;
  for (const [check, detail] of Object.entries(result.chi_tiet)) {
    if (detail.trang_thai === 'ok') continue;
    notOk++;
    const attributes: Record<string, string | number | boolean> = {
      'suc_khoe.check': check,
      'suc_khoe.check.trang_thai': detail.trang_thai,
      'suc_khoe.check.quan_trong': detail.quan_trong,
      'suc_khoe.check.thoi_gian_ms': detail.thoi_gian_ms,
    };
    if (detail.loi !== undefined) attributes['suc_khoe.check.loi'] = detail.loi;
    span.addEvent('suc_khoe.check_khong_ok', attributes);
  }
  span.setAttributes({ 'suc_khoe.trang_thai': result.trang_thai, 'suc_khoe.so_check': Object.keys(result.chi_tiet).length, 'suc_khoe.so_check_khong_ok': notOk });
  if (result.trang_thai === 'unhealthy') span.setStatus({ code: SpanStatusCode.ERROR, message: 'unhealthy' });
}
