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
import { SpanStatusCode, trace, type Histogram, type Span } from '@opentelemetry/api';
import { lazy_metric_source } from '../core/lazy-source.js';
import type { KetQuaKiemTra, TrangThaiSucKhoe } from './types.js';
import { TapHopYeu } from '../core/weak-set.js';
import { LIBRARY_VERSION } from '../core/version.js';
import { report_failure } from '../core/report.js';

/** What the metric source reads from an instance (plain fields only). */
export interface NguonSucKhoe {
  readonly ten: string;
  /** The newest result, if any run finished. */
  ket_qua_cuoi(): KetQuaKiemTra | undefined;
}

const PHAM_VI = 'vietnamese-ai-otel/suc-khoe';
const TRANG_THAI: TrangThaiSucKhoe[] = ['healthy', 'degraded', 'unhealthy'];

const nguon = new TapHopYeu<NguonSucKhoe>();
let histogram: Histogram | undefined;

function conSong(): NguonSucKhoe[] {
  return [...nguon];
}

const dangKyNguon = lazy_metric_source(
  PHAM_VI,
  (meter) => {
    const ok = meter.createObservableGauge('suc_khoe.check.ok', { description: 'Last result of each health check: 1 ok, 0 fail or error.' });
    const tt = meter.createObservableGauge('suc_khoe.trang_thai', { description: 'Overall health state: 1 on the current state.' });
    const cb = (o: import('@opentelemetry/api').ObservableResult): void => {
      for (const s of conSong()) {
        const kq = s.ket_qua_cuoi();
        if (kq === undefined) continue;
        for (const [check, ct] of Object.entries(kq.chi_tiet)) {
          o.observe(ct.trang_thai === 'ok' ? 1 : 0, { suc_khoe: s.ten, check, quan_trong: ct.quan_trong });
        }
      }
    };
    const cbTt = (o: import('@opentelemetry/api').ObservableResult): void => {
      for (const s of conSong()) {
        const kq = s.ket_qua_cuoi();
        if (kq === undefined) continue;
        for (const t of TRANG_THAI) o.observe(kq.trang_thai === t ? 1 : 0, { suc_khoe: s.ten, trang_thai: t });
      }
    };
    ok.addCallback(cb);
    tt.addCallback(cbTt);
    histogram = meter.createHistogram('suc_khoe.check.thoi_gian', {
      description: 'Duration of health check runs.',
      unit: 's',
      advice: { explicitBucketBoundaries: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
    });
    return () => {
      ok.removeCallback(cb);
      tt.removeCallback(cbTt);
      histogram = undefined;
    };
  },
  LIBRARY_VERSION,
);

/** Adds an instance to the metric source (registered on first use). */
export function theo_doi_suc_khoe(x: NguonSucKhoe): () => void {
  dangKyNguon();
  return nguon.them(x);
}

/** Records each check's duration of a finished run. Never throws. */
export function ghi_thoi_gian_checks(ten: string, kq: KetQuaKiemTra): void {
  const h = histogram;
  if (h === undefined) return;
  try {
    for (const [check, ct] of Object.entries(kq.chi_tiet)) {
      h.record(ct.thoi_gian_ms / 1000, { suc_khoe: ten, check, trang_thai: ct.trang_thai });
    }
  } catch (e) {
    // Telemetry never breaks a health run.
    report_failure('KiemTraSucKhoe: recording check durations', e);
  }
}

/** Runs `fn` inside the run's span; the span gets the outcome and an event per check not ok. */
export function trong_span(ten: string, fn: () => Promise<KetQuaKiemTra>): Promise<KetQuaKiemTra> {
  // Looked up per run: a tracer kept across an SDK restart would point at the old, shut-down provider.
  return trace.getTracer('vietnamese-ai-otel', LIBRARY_VERSION).startActiveSpan('KiemTraSucKhoe.kiem_tra', { attributes: { 'suc_khoe.ten': ten } }, async (span: Span) => {
    try {
      const kq = await fn();
      try {
        let khong_ok = 0;
        for (const [check, ct] of Object.entries(kq.chi_tiet)) {
          if (ct.trang_thai === 'ok') continue;
          khong_ok++;
          const a: Record<string, string | number | boolean> = {
            'suc_khoe.check': check,
            'suc_khoe.check.trang_thai': ct.trang_thai,
            'suc_khoe.check.quan_trong': ct.quan_trong,
            'suc_khoe.check.thoi_gian_ms': ct.thoi_gian_ms,
          };
          if (ct.loi !== undefined) a['suc_khoe.check.loi'] = ct.loi;
          span.addEvent('suc_khoe.check_khong_ok', a);
        }
        span.setAttributes({ 'suc_khoe.trang_thai': kq.trang_thai, 'suc_khoe.so_check': Object.keys(kq.chi_tiet).length, 'suc_khoe.so_check_khong_ok': khong_ok });
        if (kq.trang_thai === 'unhealthy') span.setStatus({ code: SpanStatusCode.ERROR, message: 'unhealthy' });
      } catch (e) {
        report_failure('KiemTraSucKhoe: annotating the run span', e);
      }
      return kq;
    } finally {
      span.end();
    }
  });
}
