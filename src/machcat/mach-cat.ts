/**
 * MachCat (mạch cắt, circuit breaker): stops calling a failing dependency
 * for a while, then lets exactly one trial call through to see if it healed.
 *
 * Model: the circuit opens when `so_loi_toi_da` failures fall within the last
 * `cua_so_thoi_gian` seconds (a true sliding window over a ring of the last n
 * failure times; older failures no longer count). After `timeout_phuc_hoi`
 * seconds open it is half-open: the first caller gets the single trial slot,
 * everyone else is refused at once (or given the fallback). Trial success
 * closes the circuit, trial failure opens it again, and a trial that has not
 * settled within `timeout_thu` seconds counts as a failure, so the breaker can
 * never stick half-open.
 *
 * Why no timers: state is computed lazily from a monotonic clock whenever the
 * breaker is asked (a call, `trang_thai`, `lay_thong_ke`, a metric
 * collection). A breaker therefore never keeps the process alive, needs no
 * shutdown, and tests can step an injected clock instead of sleeping.
 *
 * Why the hot path looks the way it does: `thuc_hien` is not an async
 * function. It calls `ham`, hangs the outcome bookkeeping on the callee's own
 * promise with one side `.then(ok, err)` (two handlers bound once per
 * breaker), and returns the callee's promise itself. Every extra promise hop
 * is a microtask; an `async` wrapper alone costs about 2x a direct `await`.
 */
import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { CuaSoLoi } from './cua-so-loi.js';
import { LoiMachMo, tao_loi_mach_mo } from './loi.js';
import { DemMach, ghi_log, SeverityNumber, span_ghi, them_su_kien, theo_doi, tracer, type CoSoLieuMetric, type SoLieuMetric } from './telemetry.js';
import { TrangThaiMach } from './trang-thai.js';
import { giai_tuy_chon, type TuyChonMachCat } from './tuy-chon.js';

const { DONG, MO, NUA_MO } = TrangThaiMach;

/** At most one refusal log record per breaker per this many ms; the rest are counted into the next one. */
const KHOANG_LOG_BI_CHAN_MS = 10_000;

/** Statistics (thống kê) of one breaker: the seed's keys, plus a few. */
export interface ThongKeMachCat {
  /** The state now (computed lazily at this read). */
  trang_thai: TrangThaiMach;
  /** Requests: every `thuc_hien` call, every recorded outcome, every refused `cho_phep()`. */
  tong_request: number;
  /** Calls that succeeded (thành công). */
  thanh_cong: number;
  /** Calls that failed (thất bại), including trials that ran out of time. */
  that_bai: number;
  /** Calls refused (bị chặn), whether or not a fallback answered them. Not failures. */
  bi_chan: number;
  /** Refused calls answered by `ham_fallback` (a subset of `bi_chan`). */
  fallback: number;
  /** State transitions (chuyển trạng thái) so far. */
  chuyen_trang_thai: number;
  /** thanh_cong / tong_request (0 with no requests). */
  ty_le_thanh_cong: number;
  /** that_bai / tong_request (0 with no requests). */
  ty_le_that_bai: number;
  /** The breaker's name. */
  ten: string;
  /** `thuc_hien` calls running now (đang chạy): tong_request = thanh_cong + that_bai + bi_chan + dang_chay. */
  dang_chay: number;
  /** Fallbacks that threw or rejected (fallback lỗi); the caller got that error. */
  fallback_loi: number;
  /** Trials that ran out of `timeout_thu` (hết giờ thử); also counted in that_bai. */
  het_gio_thu: number;
  /** Failures inside the window now (lỗi trong cửa sổ), at most so_loi_toi_da. */
  loi_trong_cua_so: number;
  /** Seconds until the next trial may pass; 0 when closed or a trial may start now. */
  giay_den_lan_thu: number;
}

/** The half-open trial in progress (lần thử). */
interface LanThu {
  /** Its deadline on the breaker's clock (ms). */
  readonly han: number;
  /** Already counted (settled, or timed out): later outcomes are ignored. */
  xong: boolean;
  /** Granted by `cho_phep()` (manual API) rather than `thuc_hien`. */
  readonly thu_cong: boolean;
}

/**
 * A value `Promise.resolve` would adopt. A `then` getter that throws counts
 * as thenable: `Promise.resolve` then rejects with that error, so the call
 * fails as a rejection instead of throwing out of `thuc_hien`.
 */
function laThenable(x: unknown): x is PromiseLike<unknown> {
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) return false;
  try {
    return typeof (x as { then?: unknown }).then === 'function';
  } catch {
    return true;
  }
}

/** The native `then`: called directly, it runs a handler at most once whatever the promise's own `then` does. */
const THEN_GOC = Promise.prototype.then;

/**
 * A fresh native promise that adopts `x`'s FIRST settlement. (`Promise.resolve`
 * returns a native promise as it is, own `then` override included, so it is
 * wrapped in a new one; the resolving functions ignore every later call.)
 */
function moiHua<T>(x: PromiseLike<T> | T): Promise<T> {
  return new Promise<T>((ok) => ok(x));
}

export class MachCat implements CoSoLieuMetric {
  /** The breaker's name (tên). */
  readonly ten: string;
  /** Failures within the window that open the circuit. */
  readonly so_loi_toi_da: number;
  /** Seconds open before a trial. */
  readonly timeout_phuc_hoi: number;
  /** The window, in seconds. */
  readonly cua_so_thoi_gian: number;
  /** The trial's time limit, in seconds. */
  readonly timeout_thu: number;
  /** Whether each protected call gets its own span. */
  readonly tao_span: boolean;

  private readonly dongHo: () => number;
  /** The clock's latest finite reading. */
  private docCuoi: number;
  /** The breaker's monotonic time (hiệu lực = effective): the sum of forward steps. */
  private bayGioHl: number;
  private readonly phucHoiMs: number;
  private readonly cuaSoMs: number;
  private readonly thuMs: number;
  private readonly fb: ((...args: unknown[]) => unknown) | undefined;
  private readonly cuaSo: CuaSoLoi;

  private tt: TrangThaiMach = DONG;
  /** True when `thuc_hien` may take the fast path: closed and no span per call. */
  private nhanh: boolean;
  /** When the circuit last opened (ms on dongHo). */
  private moLuc = 0;
  private thu: LanThu | undefined;

  /** The counters the metrics read; outside the breaker so they outlive it (folded into the totals when it is collected). */
  private readonly dem: DemMach;
  private tong = 0;
  private dangChay = 0;
  private hetGioThu = 0;
  private soChuyen = 0;
  private biChanChuaLog = 0;
  private lanLogBiChan = -Infinity;

  /** Outcome handlers of non-trial calls, bound once (no closure per call). */
  private readonly xongOk = (): void => {
    this.dangChay--;
    this.dem.thanh_cong++;
  };
  private readonly xongLoi = (): void => {
    this.dangChay--;
    this.dem.that_bai++;
    if (this.tt === DONG) this.loiKhiDong(this.bayGio());
  };
  private readonly fbLoi = (): void => {
    this.dem.fallback_loi++;
  };

  /**
   * @throws TypeError / RangeError for a bad option (it names which).
   */
  constructor(tuy_chon?: TuyChonMachCat) {
    const c = giai_tuy_chon(tuy_chon);
    this.ten = c.ten;
    this.so_loi_toi_da = c.so_loi_toi_da;
    this.timeout_phuc_hoi = c.phuc_hoi_ms / 1000;
    this.cua_so_thoi_gian = c.cua_so_ms / 1000;
    this.timeout_thu = c.thu_ms / 1000;
    this.tao_span = c.tao_span;
    this.dongHo = c.dong_ho;
    this.docCuoi = c.doc_dau;
    this.bayGioHl = c.doc_dau;
    this.dem = new DemMach(c.ten);
    this.phucHoiMs = c.phuc_hoi_ms;
    this.cuaSoMs = c.cua_so_ms;
    this.thuMs = c.thu_ms;
    this.fb = c.ham_fallback;
    this.cuaSo = new CuaSoLoi(c.so_loi_toi_da);
    this.nhanh = !c.tao_span;
    theo_doi(this, this.dem);
  }

  /**
   * The time now on the breaker's own monotonic clock (ms): the injected
   * clock's forward steps only. A reading that goes backwards, is not a
   * finite number or throws is no time passing, so a clock stepped back by
   * hours cannot hold a circuit open for hours, and a NaN cannot stop it
   * from opening.
   */
  private bayGio(): number {
    let t: unknown;
    try {
      t = this.dongHo();
    } catch {
      return this.bayGioHl;
    }
    if (typeof t !== 'number' || !Number.isFinite(t)) return this.bayGioHl;
    if (t > this.docCuoi) this.bayGioHl += t - this.docCuoi;
    this.docCuoi = t;
    return this.bayGioHl;
  }

  /** The state now (trạng thái), computed lazily: an open circuit whose timeout passed reads as half-open. */
  get trang_thai(): TrangThaiMach {
    if (this.tt !== DONG) this.capNhat(this.bayGio());
    return this.tt;
  }

  /**
   * Runs `ham(...args)` under the breaker (thực hiện). Closed: calls it and
   * returns its own promise (a sync result is wrapped, a sync throw becomes a
   * rejection). Half-open with the trial slot free: this call is the trial.
   * Otherwise refused at once: resolves to `ham_fallback(...args)` if set
   * (if the fallback throws or rejects, the caller gets that error), else
   * rejects with `LoiMachMo`.
   *
   * A trial's time limit frees the breaker; it does not cancel or reject the
   * call itself (pass your function an `AbortSignal.timeout()` for that).
   */
  thuc_hien<A extends unknown[], T>(ham: (...args: A) => T | Promise<T>, ...args: A): Promise<T> {
    if (typeof ham !== 'function') return Promise.reject(new TypeError(`MachCat "${this.ten}": thuc_hien needs a function, got ${ham === null ? 'null' : typeof ham}`));
    if (this.nhanh) return this.goi(ham, args);
    return this.tao_span ? this.thucHienVoiSpan(ham, args) : this.thucHienTheoTrangThai(ham, args);
  }

  /** Calls `ham` as an ordinary (non-trial) call and books its outcome. */
  private goi<A extends unknown[], T>(ham: (...args: A) => T | Promise<T>, args: A): Promise<T> {
    this.tong++;
    this.dangChay++;
    let kq: T | Promise<T>;
    try {
      kq = args.length === 0 ? (ham as () => T | Promise<T>)() : ham(...args);
      // Inside the try: `instanceof` on a hostile Proxy result can throw too.
      // Only a plain native promise takes the fast path: its `then` settles
      // our handlers once. A subclass or an own `then` could call them many
      // times (counts off, dang_chay negative): it goes through Promise.resolve.
      if (kq instanceof Promise && kq.constructor === Promise && kq.then === THEN_GOC) {
        kq.then(this.xongOk, this.xongLoi);
        return kq;
      }
    } catch (e) {
      this.xongLoi();
      return Promise.reject(e);
    }
    if (laThenable(kq)) {
      const p = moiHua(kq);
      THEN_GOC.call(p, this.xongOk, this.xongLoi);
      return p;
    }
    this.dangChay--;
    this.dem.thanh_cong++;
    return Promise.resolve(kq);
  }

  private thucHienTheoTrangThai<A extends unknown[], T>(ham: (...args: A) => T | Promise<T>, args: A): Promise<T> {
    if (this.tt === DONG) return this.goi(ham, args);
    const now = this.bayGio();
    this.capNhat(now);
    if (this.tt === NUA_MO && this.thu === undefined) return this.goiThu(ham, args, now);
    return this.tuChoi<T>(args, now);
  }

  /** `tao_span`: the same, inside a span `machcat <ten>` made active for `ham`. */
  private thucHienVoiSpan<A extends unknown[], T>(ham: (...args: A) => T | Promise<T>, args: A): Promise<T> {
    let p: Promise<T> | undefined;
    try {
      tracer().startActiveSpan(`machcat ${this.ten}`, { attributes: { 'machcat.ten': this.ten } }, (span) => {
        p = this.thucHienTheoTrangThai(ham, args);
        p.then(
          () => {
            try {
              span.end();
            } catch {}
          },
          (e: unknown) => {
            try {
              if (e instanceof LoiMachMo) span.setAttribute('machcat.bi_chan', true);
              else if (e instanceof Error) span.recordException(e);
              span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
              span.end();
            } catch {}
          },
        );
      });
    } catch {
      // A tracer failure must not cost the call: fall through below.
    }
    return p ?? this.thucHienTheoTrangThai(ham, args);
  }

  /** Runs the half-open trial: the one call whose outcome decides the state. */
  private goiThu<A extends unknown[], T>(ham: (...args: A) => T | Promise<T>, args: A, now: number): Promise<T> {
    const thu: LanThu = { han: now + this.thuMs, xong: false, thu_cong: false };
    this.batDauThu(thu, now);
    this.tong++;
    this.dangChay++;
    const ok = (): void => this.ketThucThu(thu, true);
    const loi = (): void => this.ketThucThu(thu, false);
    let kq: T | Promise<T>;
    let hua: boolean;
    try {
      kq = ham(...args);
      hua = kq instanceof Promise || laThenable(kq);
    } catch (e) {
      loi();
      return Promise.reject(e);
    }
    if (hua) {
      const p = moiHua(kq as PromiseLike<T>);
      THEN_GOC.call(p, ok, loi);
      return p;
    }
    ok();
    return Promise.resolve(kq);
  }

  private batDauThu(thu: LanThu, now: number): void {
    this.thu = thu;
    const s = span_ghi();
    if (s !== undefined) them_su_kien(s, 'machcat.thu', { 'machcat.ten': this.ten, 'machcat.timeout_thu_s': this.timeout_thu });
    ghi_log(SeverityNumber.INFO, 'machcat.thu', `MachCat "${this.ten}": half-open, trial call started`, {
      'machcat.ten': this.ten,
      'machcat.timeout_thu_s': this.timeout_thu,
      'machcat.thoi_diem_ms': now,
    });
  }

  /** A thuc_hien trial settled. */
  private ketThucThu(thu: LanThu, ok: boolean): void {
    const now = this.bayGio();
    this.capNhat(now); // may time this very trial out first
    if (thu.xong) return;
    thu.xong = true;
    this.dangChay--;
    if (ok) this.dem.thanh_cong++;
    else this.dem.that_bai++;
    if (this.thu !== thu) {
      // reset() released it: an ordinary call now.
      if (!ok && this.tt === DONG) this.loiKhiDong(now);
      return;
    }
    this.thu = undefined;
    if (ok) this.dong('thu_thanh_cong', now);
    else this.mo(now, 'thu_that_bai');
  }

  /** Refuses a call: fallback or LoiMachMo. */
  private tuChoi<T>(args: unknown[], now: number): Promise<T> {
    this.tong++;
    this.dem.bi_chan++;
    const giay = this.giayDenLanThu(now);
    const fb = this.fb;
    const s = span_ghi();
    if (s !== undefined) {
      them_su_kien(s, 'machcat.bi_chan', { 'machcat.ten': this.ten, 'machcat.trang_thai': this.tt, 'machcat.giay_den_lan_thu': giay });
      if (fb !== undefined) them_su_kien(s, 'machcat.fallback', { 'machcat.ten': this.ten });
    }
    this.logBiChan(now, giay);
    if (fb === undefined) return Promise.reject(tao_loi_mach_mo(this.ten, this.tt, giay));
    this.dem.fallback++;
    let r: unknown;
    try {
      r = fb(...args);
    } catch (e) {
      this.dem.fallback_loi++;
      return Promise.reject(e);
    }
    if (!laThenable(r)) return Promise.resolve(r as T);
    const p = moiHua(r as PromiseLike<T>);
    THEN_GOC.call(p, undefined, this.fbLoi);
    return p;
  }

  /** Refusal logs, rate-limited: one record now and then, carrying the count since the last one. */
  private logBiChan(now: number, giay: number): void {
    this.biChanChuaLog++;
    if (now - this.lanLogBiChan < KHOANG_LOG_BI_CHAN_MS) return;
    const n = this.biChanChuaLog;
    this.biChanChuaLog = 0;
    this.lanLogBiChan = now;
    ghi_log(SeverityNumber.WARN, 'machcat.bi_chan', `MachCat "${this.ten}" (${this.tt}) refused ${n} call(s); next trial in ${giay.toFixed(3)} s`, {
      'machcat.ten': this.ten,
      'machcat.trang_thai': this.tt,
      'machcat.so_bi_chan': n,
      'machcat.giay_den_lan_thu': giay,
      'machcat.co_fallback': this.fb !== undefined,
    });
  }

  private giayDenLanThu(now: number): number {
    if (this.tt === MO) return Math.max(0, this.moLuc + this.phucHoiMs - now) / 1000;
    if (this.tt === NUA_MO && this.thu !== undefined) return Math.max(0, this.thu.han + this.phucHoiMs - now) / 1000;
    return 0;
  }

  /** A failure while closed: into the window; opens the circuit when the window is full. */
  private loiKhiDong(now: number): void {
    if (this.cuaSo.them(now, this.cuaSoMs)) this.mo(now, 'so_loi');
  }

  /**
   * Brings the state up to `now` (cập nhật): open -> half-open once the
   * recovery timeout has passed; a trial past its deadline counts as a
   * failure and reopens the circuit as of that deadline.
   */
  private capNhat(now: number): void {
    if (this.tt === MO) {
      if (now - this.moLuc >= this.phucHoiMs) this.chuyen(NUA_MO, 'het_timeout_phuc_hoi', now);
      return;
    }
    if (this.tt !== NUA_MO) return;
    const thu = this.thu;
    if (thu === undefined || now < thu.han) return;
    thu.xong = true;
    this.hetGioThu++;
    this.dem.that_bai++;
    if (thu.thu_cong) this.tong++;
    else this.dangChay--;
    this.mo(thu.han, 'het_gio_thu');
    if (now - this.moLuc >= this.phucHoiMs) this.chuyen(NUA_MO, 'het_timeout_phuc_hoi', now);
  }

  private mo(t: number, ly_do: string): void {
    this.moLuc = t;
    this.thu = undefined;
    this.cuaSo.xoa();
    this.chuyen(MO, ly_do, t);
  }

  private dong(ly_do: string, now: number): void {
    this.thu = undefined;
    this.cuaSo.xoa();
    this.chuyen(DONG, ly_do, now);
  }

  /** Every transition goes through here: counters, span event, log record. */
  private chuyen(den: TrangThaiMach, ly_do: string, now: number): void {
    const tu = this.tt;
    this.tt = den;
    this.nhanh = den === DONG && !this.tao_span;
    this.soChuyen++;
    if (den === DONG) this.dem.den_dong++;
    else if (den === MO) this.dem.den_mo++;
    else this.dem.den_nua_mo++;
    const a: Attributes = { 'machcat.ten': this.ten, 'machcat.tu': tu, 'machcat.den': den, 'machcat.ly_do': ly_do };
    const s = span_ghi();
    if (s !== undefined) them_su_kien(s, 'machcat.chuyen_trang_thai', a);
    const biChan = this.biChanChuaLog;
    this.biChanChuaLog = 0;
    ghi_log(den === MO ? SeverityNumber.WARN : SeverityNumber.INFO, 'machcat.chuyen_trang_thai', `MachCat "${this.ten}": ${tu} -> ${den} (${ly_do})`, {
      ...a,
      'machcat.so_bi_chan_chua_log': biChan,
      'machcat.thoi_diem_ms': now,
    });
  }

  /**
   * May a call go ahead now (cho phép)? The manual form of `thuc_hien`:
   * call it, and when it says true make the call and report the outcome
   * with `ghi_nhan_thanh_cong()` / `ghi_nhan_loi()`. Closed: true. Open:
   * false (counted as a refused request). Half-open: true exactly once (the
   * trial slot), false for everyone else until the trial is reported or
   * times out. A granted permission is not counted: the request is counted
   * when its outcome is recorded.
   */
  cho_phep(): boolean {
    if (this.tt === DONG) return true;
    const now = this.bayGio();
    this.capNhat(now);
    if (this.tt === NUA_MO && this.thu === undefined) {
      this.batDauThu({ han: now + this.thuMs, xong: false, thu_cong: true }, now);
      return true;
    }
    this.tong++;
    this.dem.bi_chan++;
    const giay = this.giayDenLanThu(now);
    const s = span_ghi();
    if (s !== undefined) them_su_kien(s, 'machcat.bi_chan', { 'machcat.ten': this.ten, 'machcat.trang_thai': this.tt, 'machcat.giay_den_lan_thu': giay });
    this.logBiChan(now, giay);
    return false;
  }

  /**
   * Records a successful request (ghi nhận thành công). While a trial granted
   * by `cho_phep()` is out, this is taken as its outcome and closes the
   * circuit (the manual API cannot tell which call reports).
   */
  ghi_nhan_thanh_cong(): void {
    this.tong++;
    this.dem.thanh_cong++;
    if (this.tt === DONG) return;
    const now = this.bayGio();
    this.capNhat(now);
    const thu = this.thu;
    if (thu !== undefined && thu.thu_cong) {
      thu.xong = true;
      this.dong('thu_thanh_cong', now);
    }
  }

  /**
   * Records a failed request (ghi nhận lỗi). Closed: it enters the window and
   * may open the circuit. While a `cho_phep()` trial is out: taken as its
   * outcome, the circuit opens again.
   */
  ghi_nhan_loi(): void {
    this.tong++;
    this.dem.that_bai++;
    const now = this.bayGio();
    if (this.tt === DONG) {
      this.loiKhiDong(now);
      return;
    }
    this.capNhat(now);
    const thu = this.thu;
    if (thu !== undefined && thu.thu_cong) {
      thu.xong = true;
      this.mo(now, 'thu_that_bai');
    }
  }

  /**
   * Closes the circuit and forgets the window (đặt lại). Statistics are kept
   * (they feed monotonic metrics). A trial still running finishes as an
   * ordinary call.
   */
  reset(): void {
    this.thu = undefined;
    this.cuaSo.xoa();
    if (this.tt !== DONG) this.chuyen(DONG, 'reset', this.bayGio());
  }

  /** Statistics (lấy thống kê): the seed's keys plus dang_chay, fallback_loi, het_gio_thu, ... */
  lay_thong_ke(): ThongKeMachCat {
    const now = this.bayGio();
    if (this.tt !== DONG) this.capNhat(now);
    const tong = this.tong;
    return {
      trang_thai: this.tt,
      tong_request: tong,
      thanh_cong: this.dem.thanh_cong,
      that_bai: this.dem.that_bai,
      bi_chan: this.dem.bi_chan,
      fallback: this.dem.fallback,
      chuyen_trang_thai: this.soChuyen,
      ty_le_thanh_cong: tong === 0 ? 0 : this.dem.thanh_cong / tong,
      ty_le_that_bai: tong === 0 ? 0 : this.dem.that_bai / tong,
      ten: this.ten,
      dang_chay: this.dangChay,
      fallback_loi: this.dem.fallback_loi,
      het_gio_thu: this.hetGioThu,
      loi_trong_cua_so: this.tt === DONG ? this.cuaSo.dem_trong(now, this.cuaSoMs) : 0,
      giay_den_lan_thu: this.giayDenLanThu(now),
    };
  }

  /** @internal read by the module's metric source at each collection. */
  so_lieu_metric(): SoLieuMetric {
    if (this.tt !== DONG) this.capNhat(this.bayGio());
    return {
      ten: this.ten,
      trang_thai: this.tt,
      thanh_cong: this.dem.thanh_cong,
      that_bai: this.dem.that_bai,
      bi_chan: this.dem.bi_chan,
      fallback: this.dem.fallback,
      fallback_loi: this.dem.fallback_loi,
      dang_chay: this.dangChay,
      den_dong: this.dem.den_dong,
      den_mo: this.dem.den_mo,
      den_nua_mo: this.dem.den_nua_mo,
    };
  }
}
