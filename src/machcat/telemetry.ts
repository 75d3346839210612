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
 * counters live in a separate small object (DemMach) that a
 * FinalizationRegistry folds into per-name totals when the breaker is
 * collected, so the counters stay monotonic (as the logger's do).
 * Nothing here may throw into user code.
 */
import { logs, trace, SeverityNumber, type Attributes, type BatchObservableCallback, type Meter, type Span, type Tracer } from '@opentelemetry/api';
import { dang_ky_nguon_metric } from '../sdk/toan-cuc.js';
import { TrangThaiMach } from './trang-thai.js';
import { TapHopYeu } from '../sdk/tap-hop-yeu.js';

/** Instrumentation scope of spans, logs and metrics. */
export const TEN_THU_VIEN = 'vietnamese-ai-otel';
export const PHIEN_BAN = '0.1.0';
/** Metric scope (so `export_prometheus({ loc_scope })` can pick MachCat alone). */
export const SCOPE_METRIC = 'vietnamese-ai-otel/machcat';

/** The active span if it records, else undefined (cheap without an SDK). */
export function span_ghi(): Span | undefined {
  try {
    const s = trace.getActiveSpan();
    return s !== undefined && s.isRecording() ? s : undefined;
  } catch {
    return undefined;
  }
}

/** Adds an event to `s`, never throwing. */
export function them_su_kien(s: Span, ten: string, thuoc_tinh: Attributes): void {
  try {
    s.addEvent(ten, thuoc_tinh);
  } catch {
    // Telemetry must not break the protected call.
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
  } catch {
    // idem
  }
}

export { SeverityNumber };

/** The tracer for `tao_span`; looked up per call since the SDK may start later. */
export function tracer(): Tracer {
  return trace.getTracer(TEN_THU_VIEN, PHIEN_BAN);
}

/** What one breaker contributes to a metric collection. */
export interface SoLieuMetric {
  ten: string;
  trang_thai: TrangThaiMach;
  thanh_cong: number;
  that_bai: number;
  bi_chan: number;
  fallback: number;
  fallback_loi: number;
  dang_chay: number;
  den_dong: number;
  den_mo: number;
  den_nua_mo: number;
}

/** A breaker as the metric source sees it. */
export interface CoSoLieuMetric {
  so_lieu_metric(): SoLieuMetric;
}

const song = new TapHopYeu<CoSoLieuMetric>();
let daDangKy = false;

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
const donDep = new FinalizationRegistry<DemMach>((d) => congDem(gopMoi(daNghi, d.ten), d));

/** Adds one breaker's monotonic counters into `g`. */
function congDem(g: Gop, d: Omit<DemMach, 'ten'>): void {
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

interface Gop {
  thanh_cong: number;
  that_bai: number;
  bi_chan: number;
  fallback: number;
  fallback_loi: number;
  dang_chay: number;
  den_dong: number;
  den_mo: number;
  den_nua_mo: number;
  dong: number;
  mo: number;
  nua_mo: number;
}

/**
 * Builds the instruments on `meter`. Breakers that share a name are summed
 * (for `machcat.state`, the value is how many breakers of that name are in
 * each state: 1/0 for a unique name), so series never clash.
 */
function nguon(meter: Meter): () => void {
  const goi = meter.createObservableCounter('machcat.calls', {
    description: 'MachCat protected calls by outcome (ket_qua): thanh_cong = success, that_bai = failure, bi_chan = refused',
    unit: '{call}',
  });
  const fb = meter.createObservableCounter('machcat.fallbacks', {
    description: 'MachCat refused calls answered by ham_fallback, by outcome (ket_qua): ok, loi = the fallback threw or rejected',
    unit: '{call}',
  });
  const trangThai = meter.createObservableGauge('machcat.state', {
    description: 'MachCat breakers in each state (trang_thai: dong = closed, mo = open, nua_mo = half-open); 1 marks the current state',
  });
  const chuyen = meter.createObservableCounter('machcat.transitions', {
    description: 'MachCat state transitions by target state (den)',
    unit: '{transition}',
  });
  const dang = meter.createObservableGauge('machcat.in_flight', {
    description: 'MachCat protected calls running now (dang_chay)',
    unit: '{call}',
  });
  const cb: BatchObservableCallback = (kq) => {
    const gop = new Map<string, Gop>();
    for (const [ten, g] of daNghi) gop.set(ten, { ...g });
    for (const mc of song) {
      let s: SoLieuMetric;
      try {
        s = mc.so_lieu_metric();
      } catch {
        continue;
      }
      const g = gopMoi(gop, s.ten);
      congDem(g, s);
      g.dang_chay += s.dang_chay;
      g[s.trang_thai]++;
    }
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

/**
 * Adds a breaker to the metric source (theo dõi = track), held weakly; its
 * counters `dem` are folded into the totals once it is collected. The
 * source is declared on the first call, once for the whole module.
 */
export function theo_doi(mc: CoSoLieuMetric, dem: DemMach): void {
  if (!daDangKy) {
    daDangKy = true;
    dang_ky_nguon_metric(SCOPE_METRIC, nguon, PHIEN_BAN);
  }
  song.them(mc);
  donDep.register(mc, dem);
}

/** How many breakers the metric source still tracks (for tests). @internal */
export function so_mach_dang_theo_doi(): number {
  return song.kich_thuoc;
}
