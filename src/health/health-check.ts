/**
 * KiemTraSucKhoe (health checks) for production probes.
 *
 * Unlike the seed (checks one after another, `timeout` never enforced, every
 * probe reruns every check, liveness a constant), here:
 * - every check of a run starts at once (each in its own event-loop turn, so
 *   checks that block synchronously delay probes by one call, not by all)
 *   and all share ONE deadline, so a run never takes much longer than
 *   `timeout`; a check that hangs is `error`;
 * - a check still pending from a previous run is not called again (its
 *   pending promise is awaited instead), so a hanging dependency cannot pile
 *   up calls;
 * - runs are single-flight and their result is reused for `thoi_gian_cache`
 *   seconds, so a burst of probes costs one run;
 * - `live()` never runs dependency checks: it reads the event-loop lag and
 *   the heap against V8's limit.
 */
import { getHeapStatistics } from 'node:v8';
import { doc_dia, thong_tin_he_thong, type DocDia } from './system.js';
import type { ChiTietCheck, HamCheck, KetQuaKiemTra, MauLichSu, TrangThaiCheck, TrangThaiSucKhoe, TuyChonChecksMacDinh, TuyChonSucKhoe } from './types.js';
import { LoiCheckDaTonTai } from './errors.js';
import { mo_ta_loi } from './describe-error.js';
import { ghi_thoi_gian_checks, theo_doi_suc_khoe, trong_span } from './telemetry.js';
import { bat_dau_theo_doi_vong_lap, tre_hien_tai_ms } from './event-loop.js';
import { tao_checks_mac_dinh } from './default-checks.js';
import { race_deadline } from '../core/deadline.js';
import { is_thenable } from '../core/thenable.js';
import { TheoDoiKhoiDong } from './startup.js';

/** The outcome of one call of a check function. */
interface KetQuaGoi {
  trang_thai: TrangThaiCheck;
  loi?: string;
  xong: number;
}

interface LanGoi {
  readonly bat_dau: number;
  readonly p: Promise<KetQuaGoi>;
}

interface DangKyCheck {
  readonly ten: string;
  readonly ham: HamCheck;
  readonly mo_ta: string;
  readonly quan_trong: boolean;
  /** Marked for start-up: /startupz waits until it has passed once. */
  readonly khoi_dong: boolean;
  dang_goi: LanGoi | undefined;
}

/** Yields (nhường) one turn of the event loop. */
const nhuong = (): Promise<void> => new Promise((r) => setImmediate(r));
/** The option keys of `new KiemTraSucKhoe()`: any other key is a typo that would silently keep a default. */
const KHOA_TUY_CHON = new Set(['timeout', 'mau_lich_su', 'thoi_gian_cache', 'duong_dan_dia', 'ten', 'tre_vong_lap_live', 'nguong_heap_live']);
/** setTimeout's largest delay. */
const TOI_DA_S = 2_147_483;

function soDuong(ten: string, v: unknown, macDinh: number, min: number, max: number, chiSoNguyen = false, choPhepBang = true): number {
  if (v === undefined) return macDinh;
  if (typeof v !== 'number') throw new TypeError(`KiemTraSucKhoe: ${ten} must be a number, got ${typeof v}`);
  const duoi = choPhepBang ? v < min : v <= min;
  if (!Number.isFinite(v) || duoi || v > max || (chiSoNguyen && !Number.isInteger(v))) {
    throw new RangeError(`KiemTraSucKhoe: ${ten} must be ${chiSoNguyen ? 'an integer' : 'a finite number'} ${choPhepBang ? '>=' : '>'} ${min} and <= ${max}, got ${String(v)}`);
  }
  return v;
}

function chuoiKhongRong(ten: string, v: unknown, macDinh: string): string {
  if (v === undefined) return macDinh;
  if (typeof v !== 'string' || v.trim() === '') throw new TypeError(`KiemTraSucKhoe: ${ten} must be a non-empty string`);
  return v;
}

function goi(ham: HamCheck): Promise<KetQuaGoi> {
  const loi = (e: unknown): KetQuaGoi => ({ trang_thai: 'error', loi: mo_ta_loi(e), xong: performance.now() });
  try {
    const v: unknown = ham();
    // A thenable whose `then` getter throws is an error of the check, not of the run.
    if (is_thenable(v)) {
      return Promise.resolve(v as PromiseLike<unknown>).then((x): KetQuaGoi => ({ trang_thai: x ? 'ok' : 'fail', xong: performance.now() }), loi);
    }
    return Promise.resolve({ trang_thai: v ? 'ok' : 'fail', xong: performance.now() });
  } catch (e) {
    return Promise.resolve(loi(e));
  }
}

function dongBang(kq: KetQuaKiemTra): KetQuaKiemTra {
  for (const ct of Object.values(kq.chi_tiet)) Object.freeze(ct);
  Object.freeze(kq.chi_tiet);
  Object.freeze(kq.he_thong);
  return Object.freeze(kq);
}

export class KiemTraSucKhoe {
  /** Deadline of a run (s). */
  readonly timeout: number;
  /** History size. */
  readonly mau_lich_su: number;
  /** Result reuse time (s). */
  readonly thoi_gian_cache: number;
  /** Path of the disk that is reported and checked. */
  readonly duong_dan_dia: string;
  /** Name of this instance in metrics and spans. */
  readonly ten: string;
  private readonly treLive: number;
  private readonly nguongHeap: number;
  private readonly checks = new Map<string, DangKyCheck>();
  private readonly lichSu: MauLichSu[] = [];
  private readonly batDau = performance.now();
  private dangChay: Promise<KetQuaKiemTra> | undefined;
  private cuoi: KetQuaKiemTra | undefined;
  private hetHan = 0;
  private diaCuoi: DocDia | undefined;
  private dangTat = false;
  private readonly boTheoDoi: () => void;
  private readonly nguonMetric: { readonly ten: string; ket_qua_cuoi(): KetQuaKiemTra | undefined };
  private readonly khoiDong = new TheoDoiKhoiDong();

  constructor(tuy_chon: TuyChonSucKhoe = {}) {
    if (tuy_chon === null || typeof tuy_chon !== 'object') throw new TypeError('KiemTraSucKhoe: options must be an object');
    for (const k of Object.keys(tuy_chon)) {
      if (!KHOA_TUY_CHON.has(k)) throw new TypeError(`KiemTraSucKhoe: unknown option ${JSON.stringify(k)} (known: ${[...KHOA_TUY_CHON].join(', ')})`);
    }
    this.timeout = soDuong('timeout', tuy_chon.timeout, 5.0, 0, TOI_DA_S, false, false);
    this.mau_lich_su = soDuong('mau_lich_su', tuy_chon.mau_lich_su, 100, 0, 1_000_000, true);
    this.thoi_gian_cache = soDuong('thoi_gian_cache', tuy_chon.thoi_gian_cache, 1.0, 0, 86_400);
    this.duong_dan_dia = chuoiKhongRong('duong_dan_dia', tuy_chon.duong_dan_dia, process.cwd());
    this.ten = chuoiKhongRong('ten', tuy_chon.ten, 'default');
    this.treLive = soDuong('tre_vong_lap_live', tuy_chon.tre_vong_lap_live, 10, 0, TOI_DA_S, false, false);
    this.nguongHeap = soDuong('nguong_heap_live', tuy_chon.nguong_heap_live, 0.98, 0, 1, false, false);
    bat_dau_theo_doi_vong_lap();
    // The metric source holds its entries weakly: the instance keeps its entry
    // alive (a bare object literal was collected at the next GC, and the
    // instance's check gauges vanished while it lived).
    this.nguonMetric = { ten: this.ten, ket_qua_cuoi: () => this.cuoi };
    this.boTheoDoi = theo_doi_suc_khoe(this.nguonMetric);
  }

  /**
   * Registers a check (đăng ký check). `ham` returns or resolves to a truthy
   * value when OK. A critical (`quan_trong`) check that is not ok makes the
   * service unhealthy; a non-critical one makes it degraded. A check marked
   * `khoi_dong` (start-up, e.g. "models warmed") must have passed once before
   * `da_khoi_dong()` (and so `/startupz`) says the service has started.
   * @throws TypeError for a bad argument; LoiCheckDaTonTai for a duplicate name.
   */
  dang_ky_check(ten: string, ham: HamCheck, mo_ta = '', quan_trong = true, khoi_dong = false): void {
    if (typeof ten !== 'string' || ten.trim() === '') throw new TypeError('KiemTraSucKhoe.dang_ky_check: ten must be a non-empty string');
    if (ten.length > 200) throw new RangeError('KiemTraSucKhoe.dang_ky_check: ten must be at most 200 characters');
    if (typeof ham !== 'function') throw new TypeError(`KiemTraSucKhoe.dang_ky_check: ham of ${JSON.stringify(ten)} must be a function, got ${ham === null ? 'null' : typeof ham}`);
    if (typeof mo_ta !== 'string') throw new TypeError('KiemTraSucKhoe.dang_ky_check: mo_ta must be a string');
    if (typeof quan_trong !== 'boolean') throw new TypeError('KiemTraSucKhoe.dang_ky_check: quan_trong must be a boolean');
    if (typeof khoi_dong !== 'boolean') throw new TypeError('KiemTraSucKhoe.dang_ky_check: khoi_dong must be a boolean');
    if (this.checks.has(ten)) throw new LoiCheckDaTonTai(ten);
    this.checks.set(ten, { ten, ham, mo_ta, quan_trong, khoi_dong, dang_goi: undefined });
    this.cuoi = undefined; // a cached result would miss the new check
  }

  /** Removes a check (xóa check); true when it existed. */
  xoa_check(ten: string): boolean {
    const co = this.checks.delete(ten);
    if (co) this.cuoi = undefined;
    return co;
  }

  /** Names of the registered checks (danh sách checks). */
  danh_sach_checks(): string[] {
    return [...this.checks.keys()];
  }

  /**
   * Runs every check concurrently under one deadline (kiểm tra). Concurrent
   * callers share one run; a result is reused for `thoi_gian_cache` seconds.
   * Never rejects. The result is frozen (shared between callers).
   */
  kiem_tra(): Promise<KetQuaKiemTra> {
    if (this.dangChay !== undefined) return this.dangChay;
    if (this.cuoi !== undefined && performance.now() < this.hetHan) return Promise.resolve(this.cuoi);
    const p = trong_span(this.ten, () => this.chay());
    this.dangChay = p;
    const xong = (): void => {
      if (this.dangChay === p) this.dangChay = undefined;
    };
    p.then(xong, xong);
    return p;
  }

  private async chay(): Promise<KetQuaKiemTra> {
    const t0 = performance.now();
    const ds = [...this.checks.values()];
    // Each check is called in its own turn of the event loop: a check that
    // blocks (synchronous work) then delays other callbacks (a /livez probe)
    // by one call at most, not by the sum of all. Async checks still start
    // together (a turn of an idle loop takes microseconds).
    const cacCheck: Promise<ChiTietCheck>[] = [];
    for (const c of ds) {
      await nhuong();
      cacCheck.push(this.chayMot(c));
    }
    // The disk read shares the run's deadline (counted from t0).
    const dia = race_deadline(doc_dia(this.duong_dan_dia), this.timeout * 1000 - (performance.now() - t0), true).then(
      (d) => (d.kind === 'timed_out' ? this.diaCuoi : (this.diaCuoi = d.value)),
      () => this.diaCuoi,
    );
    const ketQua = await Promise.all(cacCheck);
    const chi_tiet: Record<string, ChiTietCheck> = {};
    let trang_thai: TrangThaiSucKhoe = 'healthy';
    ds.forEach((c, i) => {
      const ct = ketQua[i]!;
      chi_tiet[c.ten] = ct;
      if (ct.trang_thai !== 'ok') {
        if (c.quan_trong) trang_thai = 'unhealthy';
        else if (trang_thai === 'healthy') trang_thai = 'degraded';
      }
    });
    const he_thong = thong_tin_he_thong(await dia);
    const thoi_gian_ms = performance.now() - t0;
    const kq: KetQuaKiemTra = dongBang({
      trang_thai,
      chi_tiet,
      he_thong,
      thoi_gian_ms: Math.round(thoi_gian_ms * 1000) / 1000,
      uptime_s: Math.round((performance.now() - this.batDau) / 10) / 100,
      timestamp: Date.now(),
      dang_tat: this.dangTat,
    });
    this.cuoi = kq;
    this.hetHan = performance.now() + this.thoi_gian_cache * 1000;
    if (this.mau_lich_su > 0) {
      this.lichSu.push({ trang_thai, thoi_gian_ms: kq.thoi_gian_ms, timestamp: kq.timestamp });
      if (this.lichSu.length > this.mau_lich_su) this.lichSu.splice(0, this.lichSu.length - this.mau_lich_su);
    }
    ghi_thoi_gian_checks(this.ten, kq);
    this.khoiDong.ghi_nhan(kq);
    return kq;
  }

  /**
   * One check, with its own deadline counted from its turn: a check that
   * waited for its turn behind a blocking one (or a busy machine) still gets
   * the whole `timeout`, and one that settled at once is never "timed out".
   */
  private async chayMot(c: DangKyCheck): Promise<ChiTietCheck> {
    let lan = c.dang_goi;
    if (lan === undefined) {
      const moi: LanGoi = { bat_dau: performance.now(), p: goi(c.ham) };
      c.dang_goi = lan = moi;
      const bo = (): void => {
        if (c.dang_goi === moi) c.dang_goi = undefined;
      };
      void moi.p.then(bo);
    }
    const kq = await race_deadline(lan.p, this.timeout * 1000, true);
    const co_so = { quan_trong: c.quan_trong, mo_ta: c.mo_ta };
    if (kq.kind === 'timed_out') {
      const ms = performance.now() - lan.bat_dau;
      return { trang_thai: 'error', ...co_so, loi: `timed out: not settled within ${this.timeout} s (pending for ${Math.round(ms)} ms)`, thoi_gian_ms: Math.round(ms * 1000) / 1000 };
    }
    const r = kq.value;
    const ct: ChiTietCheck = { trang_thai: r.trang_thai, ...co_so, thoi_gian_ms: Math.round((r.xong - lan.bat_dau) * 1000) / 1000 };
    if (r.loi !== undefined) ct.loi = r.loi;
    return ct;
  }

  /**
   * Readiness: true when healthy or degraded. False at once (without running
   * checks) after `bat_dau_tat()`.
   */
  async ready(): Promise<boolean> {
    if (this.dangTat) return false;
    const kq = await this.kiem_tra();
    return !this.dangTat && kq.trang_thai !== 'unhealthy';
  }

  /**
   * Start-up (đã khởi động: has started), for a Kubernetes startupProbe:
   * true once every check marked `khoi_dong` has passed at least once (in
   * any run, whoever asked for it), and from then on for good, so a slow
   * model load is not mistaken for a dead process. True at once when no check
   * is marked. Before that, each call runs the checks (single flight, cached
   * like `kiem_tra()`). Never rejects.
   */
  async da_khoi_dong(): Promise<boolean> {
    if (this.khoiDong.xong(this.checks.values())) return true;
    await this.kiem_tra();
    return this.khoiDong.xong(this.checks.values());
  }

  /** The start-up checks that have not passed yet (empty once started). */
  checks_khoi_dong_cho(): string[] {
    return this.khoiDong.con_cho(this.checks.values());
  }

  /**
   * Liveness: can this process still serve? True unless the event loop is
   * lagging more than `tre_vong_lap_live` seconds or the heap is above
   * `nguong_heap_live` of V8's limit. Never runs dependency checks, stays
   * true during graceful shutdown.
   */
  live(): boolean {
    const t = this.chi_tiet_live();
    return t.tre_vong_lap_ms < this.treLive * 1000 && t.heap_ty_le < this.nguongHeap;
  }

  /** The figures `live()` decides on (chi tiết live). */
  chi_tiet_live(): { tre_vong_lap_ms: number; heap_used_mb: number; heap_limit_mb: number; heap_ty_le: number } {
    const h = getHeapStatistics();
    return {
      tre_vong_lap_ms: Math.round(tre_hien_tai_ms()),
      heap_used_mb: Math.round(h.used_heap_size / 1048576),
      heap_limit_mb: Math.round(h.heap_size_limit / 1048576),
      heap_ty_le: h.heap_size_limit > 0 ? h.used_heap_size / h.heap_size_limit : 0,
    };
  }

  /**
   * Registers the default checks (đăng ký checks mặc định), none critical:
   * `disk` (free space of `duong_dan_dia` via fs.statfs), `memory` (machine
   * or cgroup memory in use), `event_loop` (p99 event-loop delay since the
   * last run). With a model: `model_loaded` and, when the model can predict
   * (`du_doan`, `predict`, or a function), `model_inference`, both critical.
   */
  dang_ky_checks_mac_dinh(model?: unknown, tuy_chon: TuyChonChecksMacDinh = {}): void {
    const ds = tao_checks_mac_dinh(this.duong_dan_dia, model, tuy_chon);
    for (const c of ds) if (this.checks.has(c.ten)) throw new LoiCheckDaTonTai(c.ten);
    for (const c of ds) this.dang_ky_check(c.ten, c.ham, c.mo_ta, c.quan_trong);
  }

  /** Run history (lịch sử), oldest first, at most `mau_lich_su` entries. */
  lich_su(): MauLichSu[] {
    return this.lichSu.map((m) => ({ ...m }));
  }

  /** Fraction of runs in the history that were healthy (tỷ lệ healthy); 1.0 with no history. */
  ty_le_healthy(): number {
    if (this.lichSu.length === 0) return 1.0;
    let n = 0;
    for (const m of this.lichSu) if (m.trang_thai === 'healthy') n++;
    return n / this.lichSu.length;
  }

  /**
   * Begins shutdown (bắt đầu tắt): from now on readiness is false at once,
   * while liveness is unchanged. Used by the graceful-shutdown helper.
   */
  bat_dau_tat(): void {
    this.dangTat = true;
  }

  /** True after `bat_dau_tat()` (đang tắt). */
  get dang_tat(): boolean {
    return this.dangTat;
  }

  /** The newest result without running anything (kết quả cuối), if any. */
  ket_qua_cuoi(): KetQuaKiemTra | undefined {
    return this.cuoi;
  }

  /** Stops reporting this instance's metrics (đóng). */
  dong(): void {
    this.boTheoDoi();
  }

  [Symbol.dispose](): void {
    this.dong();
  }
}
