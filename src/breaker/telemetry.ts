/**
 * MachCat's telemetry (đo đạc): span events on the caller's active span, log
 * records for the rare things (transitions, trials, refusal summaries), and
 * metrics as OBSERVABLE instruments read from plain counters at collection.
 *
 * Why this shape: a breaker sits on every request, so its success path must
 * not pay for telemetry at all. Counters are plain fields on the breaker;
 * one module-level metric source walks a set of WeakRefs to the live
 * breakers when a collection happens, so a breaker that goes out of scope is
 * garbage collected (a registration per breaker would pin it for ever). Its
 * counters live in a separate small object (DemMach) that the weak set
 * (TapHopYeu) hands back to be folded into per-name totals when the breaker
 * is collected, so the counters stay monotonic (as the logger's do).
 * Nothing here may throw into user code.
 */
import { logs, trace, SeverityNumber, type Attributes, type BatchObservableCallback, type Meter, type Span, type Tracer } from '@opentelemetry/api';
import { lazy_metric_source } from '../core/lazy-source.js';
import { TrangThaiMach } from './state.js';
import { TapHopYeu } from '../core/weak-set.js';
import { LIBRARY_VERSION } from '../core/version.js';
import { report_failure } from '../core/report.js';

/** Instrumentation scope of spans, logs and metrics. */
export const TEN_THU_VIEN = 'vietnamese-ai-otel';
export const PHIEN_BAN = LIBRARY_VERSION;
/** Metric scope (so `export_prometheus({ loc_scope })` can pick MachCat alone). */
export const SCOPE_METRIC = 'vietnamese-ai-otel/machcat';

/** A state change (chuyển trạng thái) of a breaker, as its subscribers hear it. */
export interface SuKienChuyen {
  readonly ten: string;
  readonly tu: TrangThaiMach;
  readonly den: TrangThaiMach;
  readonly ly_do: string;
  /** As of when, on the breaker's clock (ms). */
  readonly thoi_diem_ms: number;
  /** Refusals not yet in a refusal log record (the transition's record carries them). */
  readonly so_bi_chan_chua_log: number;
}

/** Telemetry's subscriber to a breaker's transitions: the counter, a span event, a log record. */
export function ghi_chuyen_trang_thai(dem: DemMach, e: SuKienChuyen): void {
  if (e.den === TrangThaiMach.DONG) dem.den_dong++;
  else if (e.den === TrangThaiMach.MO) dem.den_mo++;
  else dem.den_nua_mo++;
  const a: Attributes = { 'machcat.ten': e.ten, 'machcat.tu': e.tu, 'machcat.den': e.den, 'machcat.ly_do': e.ly_do };
  const s = span_ghi();
  if (s !== undefined) them_su_kien(s, 'machcat.chuyen_trang_thai', a);
  ghi_log(e.den === TrangThaiMach.MO ? SeverityNumber.WARN : SeverityNumber.INFO, 'machcat.chuyen_trang_thai', `MachCat "${e.ten}": ${e.tu} -> ${e.den} (${e.ly_do})`, {
    ...a,
    'machcat.so_bi_chan_chua_log': e.so_bi_chan_chua_log,
    'machcat.thoi_diem_ms': e.thoi_diem_ms,
  });
}

/** The active span if it records, else undefined (cheap without an SDK). */
export function span_ghi(): Span | undefined {
  try {
    const s = trace.getActiveSpan();
    return s !== undefined && s.isRecording() ? s : undefined;
  } catch (e) {
    report_failure('MachCat: reading the active span', e);
    return undefined;
  }
}

/** Adds an event to `s`, never throwing. */
export function them_su_kien(s: Span, ten: string, thuoc_tinh: Attributes): void {
  try {
    s.addEvent(ten, thuoc_tinh);
  } catch (e) {
    // Telemetry must not break the protected call.
    report_failure('MachCat: adding a span event', e);
  }
}

/**
 * Emits a log record through the OTel Logs API. The logger is looked up per
 * record (records are rare) because the API's proxy logger is replaced when
 * the SDK stops and starts again.
 */
export function ghi_log(muc: SeverityNumber, ten_su_kien: string, than: string, thuoc_tinh: Attributes): void {
  try {
    logs.getLogger(TEN_THU_VIEN, PHIEN_BAN).emit({
      eventName: ten_su_kien,
      severityNumber: muc,
      severityText: muc >= SeverityNumber.WARN ? 'WARNING' : 'INFO',
      body: than,
      attributes: thuoc_tinh,
    });
  } catch (e) {
    report_failure('MachCat: emitting a log record', e);
  }
}

export { SeverityNumber };

/** The tracer for `tao_span`; looked up per call since the SDK may start later. */
export function tracer(): Tracer {
  return trace.getTracer(TEN_THU_VIEN, PHIEN_BAN);
}

/** The monotonic counters of a breaker (one list: DemMach's fields). */
type CacDem = Omit<DemMach, 'ten'>;

/** What one breaker contributes to a metric collection. */
export type SoLieuMetric = CacDem & { ten: string; trang_thai: TrangThaiMach; dang_chay: number };

/** A breaker as the metric source sees it. */
export interface CoSoLieuMetric {
  so_lieu_metric(): SoLieuMetric;
}

/** The monotonic counters of one breaker (đếm), kept outside it so they outlive it. */
export class DemMach {
  thanh_cong = 0;
  that_bai = 0;
  bi_chan = 0;
  fallback = 0;
  fallback_loi = 0;
  den_dong = 0;
  den_mo = 0;
  den_nua_mo = 0;
  constructor(readonly ten: string) {}
}

/** Counters of collected breakers, per name (đã nghỉ = retired). */
const daNghi = new Map<string, Gop>();
/** Live breakers, held weakly; a collected one's counters fold into `daNghi`. */
const song = new TapHopYeu<CoSoLieuMetric, DemMach>((d) => congDem(gopMoi(daNghi, d.ten), d));

/** Adds one breaker's monotonic counters into `g`. */
function congDem(g: Gop, d: CacDem): void {
  g.thanh_cong += d.thanh_cong;
  g.that_bai += d.that_bai;
  g.bi_chan += d.bi_chan;
  g.fallback += d.fallback;
  g.fallback_loi += d.fallback_loi;
  g.den_dong += d.den_dong;
  g.den_mo += d.den_mo;
  g.den_nua_mo += d.den_nua_mo;
}

function gopMoi(m: Map<string, Gop>, ten: string): Gop {
  let g = m.get(ten);
  if (g === undefined) {
    g = { thanh_cong: 0, that_bai: 0, bi_chan: 0, fallback: 0, fallback_loi: 0, dang_chay: 0, den_dong: 0, den_mo: 0, den_nua_mo: 0, dong: 0, mo: 0, nua_mo: 0 };
    m.set(ten, g);
  }
  return g;
}

/** One name's sums at a collection: the counters, calls running, and breakers per state. */
type Gop = CacDem & { dang_chay: number } & Record<TrangThaiMach, number>;

/**
 * Builds the instruments on `meter`. Breakers that share a name are summed
 * (for `machcat.state`, the value is how many breakers of that name are in
 * each state: 1/0 for a unique name), so series never clash.
 */
function nguon(meter: Meter): () => void {
  const goi = meter.createObservableCounter('machcat.calls', { description: 'MachCat protected calls by outcome (ket_qua): thanh_cong = success, that_bai = failure, bi_chan = refused', unit: '{call}' });
  const fb = meter.createObservableCounter('machcat.fallbacks', { description: 'MachCat refused calls answered by ham_fallback, by outcome (ket_qua): ok, loi = the fallback threw or rejected', unit: '{call}' });
  const trangThai = meter.createObservableGauge('machcat.state', { description: 'MachCat breakers in each state (trang_thai: dong = closed, mo = open, nua_mo = half-open); 1 marks the current state' });
  const chuyen = meter.createObservableCounter('machcat.transitions', { description: 'MachCat state transitions by target state (den)', unit: '{transition}' });
  const dang = meter.createObservableGauge('machcat.in_flight', { description: 'MachCat protected calls running now (dang_chay)', unit: '{call}' });
  const cb: BatchObservableCallback = (kq) => {
    const gop = new Map<string, Gop>();
    // Live breakers first: one found collected on the way folds into daNghi, read after.
    for (const mc of song) {
      let s: SoLieuMetric;
      try {
        s = mc.so_lieu_metric();
      } catch (e) {
        report_failure('MachCat: reading a breaker during collection', e);
        continue;
      }
      const g = gopMoi(gop, s.ten);
      congDem(g, s);
      g.dang_chay += s.dang_chay;
      g[s.trang_thai]++;
    }
    for (const [ten, g] of daNghi) congDem(gopMoi(gop, ten), g);
    for (const [ten, g] of gop) {
      const a = { 'machcat.ten': ten };
      kq.observe(goi, g.thanh_cong, { ...a, 'machcat.ket_qua': 'thanh_cong' });
      kq.observe(goi, g.that_bai, { ...a, 'machcat.ket_qua': 'that_bai' });
      kq.observe(goi, g.bi_chan, { ...a, 'machcat.ket_qua': 'bi_chan' });
      kq.observe(fb, g.fallback - g.fallback_loi, { ...a, 'machcat.ket_qua': 'ok' });
      kq.observe(fb, g.fallback_loi, { ...a, 'machcat.ket_qua': 'loi' });
      kq.observe(trangThai, g.dong, { ...a, 'machcat.trang_thai': TrangThaiMach.DONG });
      kq.observe(trangThai, g.mo, { ...a, 'machcat.trang_thai': TrangThaiMach.MO });
      kq.observe(trangThai, g.nua_mo, { ...a, 'machcat.trang_thai': TrangThaiMach.NUA_MO });
      kq.observe(chuyen, g.den_dong, { ...a, 'machcat.den': TrangThaiMach.DONG });
      kq.observe(chuyen, g.den_mo, { ...a, 'machcat.den': TrangThaiMach.MO });
      kq.observe(chuyen, g.den_nua_mo, { ...a, 'machcat.den': TrangThaiMach.NUA_MO });
      kq.observe(dang, g.dang_chay, a);
    }
  };
  const ds = [goi, fb, trangThai, chuyen, dang];
  meter.addBatchObservableCallback(cb, ds);
  return () => meter.removeBatchObservableCallback(cb, ds);
}

const dangKyNguon = lazy_metric_source(SCOPE_METRIC, nguon, PHIEN_BAN);

/**
 * Adds a breaker to the metric source (theo dõi = track), held weakly; its
 * counters `dem` are folded into the totals once it is collected. The
 * source is declared on the first call, once for the whole module.
 */
export function theo_doi(mc: CoSoLieuMetric, dem: DemMach): void {
  dangKyNguon();
  song.them(mc, dem);
}

/** How many breakers the metric source still tracks (for tests). @internal */
export function so_mach_dang_theo_doi(): number {
  return song.kich_thuoc;
}
