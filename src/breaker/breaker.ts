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
import { SpanStatusCode } from '@opentelemetry/api';
import { CuaSoLoi } from './failure-window.js';
import { LoiMachMo, tao_loi_mach_mo } from './errors.js';
import { DemMach, ghi_chuyen_trang_thai, ghi_log, SeverityNumber, span_ghi, them_su_kien, theo_doi, tracer, type CoSoLieuMetric, type SoLieuMetric, type SuKienChuyen } from './telemetry.js';
import { TrangThaiMach } from './state.js';
import { giai_tuy_chon, type TuyChonMachCat } from './options.js';
import { is_thenable } from '../core/thenable.js';
import { report_failure } from '../core/report.js';

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
 * The circuit's state as ONE value (cockatiel's CircuitBreakerPolicy has the
 * same shape): what a state needs lives in its variant, so no field can
 * disagree with another (a trial while closed, an opening time while
 * half-open). Only `chuyenTiep` decides which state follows which.
 */
type TrangThaiTrong =
  | { readonly kind: typeof DONG }
  | { readonly kind: typeof MO; /** When it opened (ms on the breaker's clock). */ readonly tu_luc: number }
  | { readonly kind: typeof NUA_MO; /** The trial out now, if any. */ readonly thu: LanThu | undefined };

/** Closed: one shared value, so the hot path tests identity. */
const DANG_DONG: TrangThaiTrong = Object.freeze({ kind: DONG });
const NUA_MO_TRONG: TrangThaiTrong = Object.freeze({ kind: NUA_MO, thu: undefined });

/** What may move the state (sự kiện). */
type SuKien =
  | { readonly kind: 'thoi_gian' }
  | { readonly kind: 'cua_so_day' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'bat_dau_thu'; readonly thu: LanThu }
  | { readonly kind: 'ket_qua_thu'; readonly thu: LanThu; readonly ok: boolean };

const THOI_GIAN: SuKien = Object.freeze({ kind: 'thoi_gian' });
const CUA_SO_DAY: SuKien = Object.freeze({ kind: 'cua_so_day' });
const RESET: SuKien = Object.freeze({ kind: 'reset' });

/** A decided transition: the next state, why, and as of when (ms). */
interface ChuyenTiep {
  readonly den: TrangThaiTrong;
  readonly ly_do: string;
  readonly luc: number;
}

/**
 * The transition function (chuyển tiếp), pure: the state after `e` at `now`,
 * or undefined when `e` changes nothing. Time passing opens the trial slot
 * after `phuc_hoi_ms` open, and times a trial out at its deadline (reopening
 * as of that deadline); a full failure window opens; a trial's outcome
 * closes or reopens, if it is still THE trial (reset() may have released it).
 */
function chuyenTiep(s: TrangThaiTrong, e: SuKien, now: number, phuc_hoi_ms: number): ChuyenTiep | undefined {
  switch (e.kind) {
    case 'thoi_gian':
      if (s.kind === MO) return now - s.tu_luc >= phuc_hoi_ms ? { den: NUA_MO_TRONG, ly_do: 'het_timeout_phuc_hoi', luc: now } : undefined;
      if (s.kind === NUA_MO && s.thu !== undefined && now >= s.thu.han) return { den: { kind: MO, tu_luc: s.thu.han }, ly_do: 'het_gio_thu', luc: s.thu.han };
      return undefined;
    case 'cua_so_day':
      return s.kind === DONG ? { den: { kind: MO, tu_luc: now }, ly_do: 'so_loi', luc: now } : undefined;
    case 'reset':
      return s.kind === DONG ? undefined : { den: DANG_DONG, ly_do: 'reset', luc: now };
    case 'bat_dau_thu':
      return s.kind === NUA_MO && s.thu === undefined ? { den: { kind: NUA_MO, thu: e.thu }, ly_do: 'thu', luc: now } : undefined;
    case 'ket_qua_thu':
      if (s.kind !== NUA_MO || s.thu !== e.thu) return undefined;
      return e.ok ? { den: DANG_DONG, ly_do: 'thu_thanh_cong', luc: now } : { den: { kind: MO, tu_luc: now }, ly_do: 'thu_that_bai', luc: now };
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

  /** The state: changed only by `ap`, with what `chuyenTiep` decided. */
  private s: TrangThaiTrong = DANG_DONG;
  /** True when `thuc_hien` may take the fast path: closed and no span per call (derived from `s` in `ap`). */
  private nhanh: boolean;
  /** Who hears of each state change (telemetry subscribes at construction). */
  private readonly ngheChuyen: Array<(e: SuKienChuyen) => void> = [];

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
    if (this.s === DANG_DONG) this.loiKhiDong(this.bayGio());
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
    const dem = this.dem;
    this.ngheChuyen.push((e) => ghi_chuyen_trang_thai(dem, e));
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
    if (this.s !== DANG_DONG) this.capNhat(this.bayGio());
    return this.s.kind;
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
    if (is_thenable(kq)) {
      const p = moiHua(kq);
      THEN_GOC.call(p, this.xongOk, this.xongLoi);
      return p;
    }
    this.dangChay--;
    this.dem.thanh_cong++;
    return Promise.resolve(kq);
  }

  private thucHienTheoTrangThai<A extends unknown[], T>(ham: (...args: A) => T | Promise<T>, args: A): Promise<T> {
    if (this.s === DANG_DONG) return this.goi(ham, args);
    const now = this.bayGio();
    this.capNhat(now);
    const s = this.s;
    if (s.kind === NUA_MO && s.thu === undefined) return this.goiThu(ham, args, now);
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
            } catch (e) {
              report_failure('MachCat: ending the call span', e);
            }
          },
          (e: unknown) => {
            try {
              if (e instanceof LoiMachMo) span.setAttribute('machcat.bi_chan', true);
              else if (e instanceof Error) span.recordException(e);
              span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
              span.end();
            } catch (e) {
              report_failure('MachCat: ending the call span', e);
            }
          },
        );
      });
    } catch (e) {
      // A tracer failure must not cost the call: fall through below.
      report_failure('MachCat: starting the call span', e);
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
      hua = kq instanceof Promise || is_thenable(kq);
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
    this.buoc({ kind: 'bat_dau_thu', thu }, now);
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
    // Not THE trial any more when reset() released it: an ordinary call now.
    if (!this.buoc({ kind: 'ket_qua_thu', thu, ok }, now) && !ok && this.s === DANG_DONG) this.loiKhiDong(now);
  }

  /** Refuses a call: fallback or LoiMachMo. */
  private tuChoi<T>(args: unknown[], now: number): Promise<T> {
    this.tong++;
    this.dem.bi_chan++;
    const giay = this.giayDenLanThu(now);
    const fb = this.fb;
    const s = span_ghi();
    if (s !== undefined) {
      them_su_kien(s, 'machcat.bi_chan', { 'machcat.ten': this.ten, 'machcat.trang_thai': this.s.kind, 'machcat.giay_den_lan_thu': giay });
      if (fb !== undefined) them_su_kien(s, 'machcat.fallback', { 'machcat.ten': this.ten });
    }
    this.logBiChan(now, giay);
    if (fb === undefined) return Promise.reject(tao_loi_mach_mo(this.ten, this.s.kind, giay));
    this.dem.fallback++;
    let r: unknown;
    try {
      r = fb(...args);
    } catch (e) {
      this.dem.fallback_loi++;
      return Promise.reject(e);
    }
    if (!is_thenable(r)) return Promise.resolve(r as T);
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
    ghi_log(SeverityNumber.WARN, 'machcat.bi_chan', `MachCat "${this.ten}" (${this.s.kind}) refused ${n} call(s); next trial in ${giay.toFixed(3)} s`, {
      'machcat.ten': this.ten,
      'machcat.trang_thai': this.s.kind,
      'machcat.so_bi_chan': n,
      'machcat.giay_den_lan_thu': giay,
      'machcat.co_fallback': this.fb !== undefined,
    });
  }

  private giayDenLanThu(now: number): number {
    const s = this.s;
    if (s.kind === MO) return Math.max(0, s.tu_luc + this.phucHoiMs - now) / 1000;
    if (s.kind === NUA_MO && s.thu !== undefined) return Math.max(0, s.thu.han + this.phucHoiMs - now) / 1000;
    return 0;
  }

  /** A failure while closed: into the window; opens the circuit when the window is full. */
  private loiKhiDong(now: number): void {
    if (this.cuaSo.them(now, this.cuaSoMs)) this.buoc(CUA_SO_DAY, now);
  }

  /**
   * Brings the state up to `now` (cập nhật): open -> half-open once the
   * recovery timeout has passed; a trial past its deadline counts as a
   * failure and reopens the circuit as of that deadline.
   */
  private capNhat(now: number): void {
    for (;;) {
      const t = chuyenTiep(this.s, THOI_GIAN, now, this.phucHoiMs);
      if (t === undefined) return;
      const s = this.s;
      if (s.kind === NUA_MO && s.thu !== undefined) {
        // The trial ran out of time: a failure.
        const thu = s.thu;
        thu.xong = true;
        this.hetGioThu++;
        this.dem.that_bai++;
        if (thu.thu_cong) this.tong++;
        else this.dangChay--;
      }
      this.ap(t);
    }
  }

  /** Decides what `e` does at `now` and applies it; false when it changes nothing. */
  private buoc(e: SuKien, now: number): boolean {
    const t = chuyenTiep(this.s, e, now, this.phucHoiMs);
    if (t === undefined) return false;
    this.ap(t);
    return true;
  }

  /** Every state change goes through here; a change of kind is a transition, told to the subscribers. */
  private ap(t: ChuyenTiep): void {
    const tu = this.s.kind;
    const den = t.den.kind;
    this.s = t.den;
    this.nhanh = t.den === DANG_DONG && !this.tao_span;
    if (den === tu) return;
    if (den !== NUA_MO) this.cuaSo.xoa();
    this.soChuyen++;
    const e: SuKienChuyen = { ten: this.ten, tu, den, ly_do: t.ly_do, thoi_diem_ms: t.luc, so_bi_chan_chua_log: this.biChanChuaLog };
    this.biChanChuaLog = 0;
    for (const nghe of this.ngheChuyen) {
      try {
        nghe(e);
      } catch (loi) {
        report_failure('MachCat: a state-change subscriber', loi);
      }
    }
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
    if (this.s === DANG_DONG) return true;
    const now = this.bayGio();
    this.capNhat(now);
    const st = this.s;
    if (st.kind === NUA_MO && st.thu === undefined) {
      this.batDauThu({ han: now + this.thuMs, xong: false, thu_cong: true }, now);
      return true;
    }
    this.tong++;
    this.dem.bi_chan++;
    const giay = this.giayDenLanThu(now);
    const s = span_ghi();
    if (s !== undefined) them_su_kien(s, 'machcat.bi_chan', { 'machcat.ten': this.ten, 'machcat.trang_thai': st.kind, 'machcat.giay_den_lan_thu': giay });
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
    if (this.s === DANG_DONG) return;
    const now = this.bayGio();
    this.capNhat(now);
    this.ketQuaThuCong(true, now);
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
    if (this.s === DANG_DONG) {
      this.loiKhiDong(now);
      return;
    }
    this.capNhat(now);
    this.ketQuaThuCong(false, now);
  }

  /** A recorded outcome while a `cho_phep()` trial is out is that trial's outcome. */
  private ketQuaThuCong(ok: boolean, now: number): void {
    const s = this.s;
    if (s.kind !== NUA_MO || s.thu === undefined || !s.thu.thu_cong) return;
    s.thu.xong = true;
    this.buoc({ kind: 'ket_qua_thu', thu: s.thu, ok }, now);
  }

  /**
   * Closes the circuit and forgets the window (đặt lại). Statistics are kept
   * (they feed monotonic metrics). A trial still running finishes as an
   * ordinary call.
   */
  reset(): void {
    this.cuaSo.xoa();
    if (this.s !== DANG_DONG) this.buoc(RESET, this.bayGio());
  }

  /** Statistics (lấy thống kê): the seed's keys plus dang_chay, fallback_loi, het_gio_thu, ... */
  lay_thong_ke(): ThongKeMachCat {
    const now = this.bayGio();
    if (this.s !== DANG_DONG) this.capNhat(now);
    const tong = this.tong;
    return {
      trang_thai: this.s.kind,
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
      loi_trong_cua_so: this.s === DANG_DONG ? this.cuaSo.dem_trong(now, this.cuaSoMs) : 0,
      giay_den_lan_thu: this.giayDenLanThu(now),
    };
  }

  /** @internal read by the module's metric source at each collection. */
  so_lieu_metric(): SoLieuMetric {
    if (this.s !== DANG_DONG) this.capNhat(this.bayGio());
    return {
      ten: this.ten,
      trang_thai: this.s.kind,
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
