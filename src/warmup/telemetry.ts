/**
 * LamNongModel's telemetry (đo đạc): a span per warm-up with an event per
 * run, `log_model_event`-style log records (`warmup_ok` / `warmup_loi`), and
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
import { logs, SeverityNumber, trace, type Attributes, type Histogram, type ObservableResult, type Span, type Tracer } from '@opentelemetry/api';
import { lazy_metric_source } from '../core/lazy-source.js';
import { TapHopYeu } from '../core/weak-set.js';
import { LIBRARY_VERSION } from '../core/version.js';
import { report_failure } from '../core/report.js';

/** Instrumentation scope of spans and logs. */
export const TEN_THU_VIEN = 'vietnamese-ai-otel';
export const PHIEN_BAN = LIBRARY_VERSION;
/** Metric scope (so `export_prometheus({ loc_scope })` can pick LamNongModel alone). */
export const SCOPE_METRIC = 'vietnamese-ai-otel/lamnong';

/** Bucket bounds (s): warm-ups range from a millisecond (tiny ONNX) to minutes (large models). */
const BIEN_HISTOGRAM = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

/** The tracer; looked up per warm-up since the SDK may start later. */
export function tracer(): Tracer {
  return trace.getTracer(TEN_THU_VIEN, PHIEN_BAN);
}

/** Runs `f` and swallows what it throws: telemetry never breaks a warm-up. */
export function an_toan(f: () => void): void {
  try {
    f();
  } catch (e) {
    // Telemetry must not break user code.
    report_failure('LamNongModel telemetry', e);
  }
}

/** Adds an event to `s`, never throwing. */
export function them_su_kien(s: Span, ten: string, thuoc_tinh: Attributes): void {
  an_toan(() => s.addEvent(ten, thuoc_tinh));
}

/**
 * A model lifecycle log record, shaped like LoggerCauTruc's
 * `log_model_event(event, model_name, extra)`: attributes `event` and
 * `model_name` plus the extra fields. Emitted in the warm-up span's context,
 * so it carries its trace and span ids.
 */
export function ghi_su_kien_model(su_kien: string, ten_model: string, them: Attributes, loi: boolean): void {
  an_toan(() => {
    logs.getLogger(TEN_THU_VIEN, PHIEN_BAN).emit({
      eventName: `lam_nong.${su_kien}`,
      severityNumber: loi ? SeverityNumber.ERROR : SeverityNumber.INFO,
      severityText: loi ? 'ERROR' : 'INFO',
      body: `Model event: ${su_kien} (${ten_model})`,
      attributes: { event: su_kien, model_name: ten_model, ...them },
    });
  });
}

/** One model's numbers for a collection (plain fields only). */
export interface SoLieuModel {
  ten: string;
  da_warmup: boolean;
  so_ok: number;
  so_loi: number;
}

/** An instance as the metric source sees it. */
export interface CoSoLieuLamNong {
  so_lieu_metric(): SoLieuModel[];
}

const song = new TapHopYeu<CoSoLieuLamNong>();
let histogram: Histogram | undefined;

/**
 * Finished warm-ups per model name and outcome, for the whole process (tổng
 * = totals). Counted when a warm-up finishes, not read from the instances:
 * a counter must never go down when a model is removed or re-registered or
 * its instance is garbage-collected, and two instances warming one name add
 * up instead of reporting one series twice.
 */
const tongSoLan = new Map<string, { ok: number; loi: number }>();

function moiSoLieu(): SoLieuModel[] {
  const ra: SoLieuModel[] = [];
  for (const x of song) ra.push(...x.so_lieu_metric());
  return ra;
}

const dangKyNguon = lazy_metric_source(
  SCOPE_METRIC,
  (meter) => {
    const gauge = meter.createObservableGauge('lam_nong.da_warmup', { description: 'Whether each registered model is warmed: 1 warmed, 0 not.' });
    const dem = meter.createObservableCounter('lam_nong.so_lan', { description: 'Finished warm-ups per model and outcome (ok, loi).' });
    const cbGauge = (o: ObservableResult): void => {
      for (const s of moiSoLieu()) o.observe(s.da_warmup ? 1 : 0, { model_name: s.ten });
    };
    const cbDem = (o: ObservableResult): void => {
      for (const [ten, t] of tongSoLan) {
        o.observe(t.ok, { model_name: ten, trang_thai: 'ok' });
        o.observe(t.loi, { model_name: ten, trang_thai: 'loi' });
      }
    };
    gauge.addCallback(cbGauge);
    dem.addCallback(cbDem);
    histogram = meter.createHistogram('lam_nong.thoi_gian', {
      description: 'Wall time of each model warm-up.',
      unit: 's',
      advice: { explicitBucketBoundaries: BIEN_HISTOGRAM },
    });
    return () => {
      gauge.removeCallback(cbGauge);
      dem.removeCallback(cbDem);
      histogram = undefined;
    };
  },
  PHIEN_BAN,
);

/** Adds an instance to the module's metric source (registered on first use). */
export function theo_doi(x: CoSoLieuLamNong): void {
  song.them(x);
  dangKyNguon();
}

/** Records one finished warm-up: its duration, and the per-name count. Never throws. */
export function ghi_thoi_gian(ten_model: string, thoi_gian_ms: number, trang_thai: 'ok' | 'loi'): void {
  let t = tongSoLan.get(ten_model);
  if (t === undefined) tongSoLan.set(ten_model, (t = { ok: 0, loi: 0 }));
  t[trang_thai]++;
  const h = histogram;
  if (h === undefined) return;
  an_toan(() => h.record(thoi_gian_ms / 1000, { model_name: ten_model, trang_thai }));
}
