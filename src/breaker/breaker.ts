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
import { SpanStatusCode, type SpanOptions } from '@opentelemetry/api';
import { FailureWindow } from './failure-window.js';
import { LoiMachMo, open_circuit_error } from './errors.js';
import { add_event, BreakerCounters, emit_log, record_transition, recording_span, SeverityNumber, track, tracer, type BreakerMetricSource, type BreakerMetrics, type TransitionEvent } from './telemetry.js';
import { TrangThaiMach } from './state.js';
import { resolve_breaker_options, type TuyChonMachCat } from './options.js';
import { is_thenable } from '../core/thenable.js';
import { report_failure } from '../core/report.js';

const { DONG: CLOSED, MO: OPEN, NUA_MO: HALF_OPEN } = TrangThaiMach;

/** At most one refusal log record per breaker per this many ms; the rest are counted into the next one. */
const REFUSAL_LOG_INTERVAL_MS = 10_000;

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

/** The half-open trial in progress. */
interface Trial {
  /** Its deadline on the breaker's clock (ms). */
  readonly deadline: number;
  /** Already counted (settled, or timed out): later outcomes are ignored. */
  settled: boolean;
  /** Granted by `cho_phep()` (manual API) rather than `thuc_hien`. */
  readonly manual: boolean;
}

/**
 * The circuit's state as ONE value (cockatiel's CircuitBreakerPolicy has the
 * same shape): what a state needs lives in its variant, so no field can
 * disagree with another (a trial while closed, an opening time while
 * half-open). Only `transition` decides which state follows which.
 */
type CircuitState =
  | { readonly kind: typeof CLOSED }
  | { readonly kind: typeof OPEN; /** When it opened (ms on the breaker's clock). */ readonly since: number }
  | { readonly kind: typeof HALF_OPEN; /** The trial out now, if any. */ readonly trial: Trial | undefined };

/** Closed: one shared value, so the hot path tests identity. */
const CLOSED_STATE: CircuitState = Object.freeze({ kind: CLOSED });
const HALF_OPEN_IDLE: CircuitState = Object.freeze({ kind: HALF_OPEN, trial: undefined });

/** What may move the state. */
type CircuitEvent =
  | { readonly kind: 'tick' }
  | { readonly kind: 'window_full' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'trial_started'; readonly trial: Trial }
  | { readonly kind: 'trial_settled'; readonly trial: Trial; readonly ok: boolean };

const TICK: CircuitEvent = Object.freeze({ kind: 'tick' });
const WINDOW_FULL: CircuitEvent = Object.freeze({ kind: 'window_full' });
const RESET: CircuitEvent = Object.freeze({ kind: 'reset' });

/** A decided transition: the next state, why (the `machcat.ly_do` value), and as of when (ms). */
interface Transition {
  readonly to: CircuitState;
  readonly reason: string;
  readonly at: number;
}

/**
 * The transition function, pure: the state after `e` at `now`, or undefined
 * when `e` changes nothing. Time passing opens the trial slot after
 * `recoveryMs` open, and times a trial out at its deadline (reopening as of
 * that deadline); a full failure window opens; a trial's outcome closes or
 * reopens, if it is still THE trial (reset() may have released it).
 */
function transition(s: CircuitState, e: CircuitEvent, now: number, recoveryMs: number): Transition | undefined {
  switch (e.kind) {
    case 'tick':
      if (s.kind === OPEN) return now - s.since >= recoveryMs ? { to: HALF_OPEN_IDLE, reason: 'het_timeout_phuc_hoi', at: now } : undefined;
      if (s.kind === HALF_OPEN && s.trial !== undefined && now >= s.trial.deadline) return { to: { kind: OPEN, since: s.trial.deadline }, reason: 'het_gio_thu', at: s.trial.deadline };
      return undefined;
    case 'window_full':
      return s.kind === CLOSED ? { to: { kind: OPEN, since: now }, reason: 'so_loi', at: now } : undefined;
    case 'reset':
      return s.kind === CLOSED ? undefined : { to: CLOSED_STATE, reason: 'reset', at: now };
    case 'trial_started':
      return s.kind === HALF_OPEN && s.trial === undefined ? { to: { kind: HALF_OPEN, trial: e.trial }, reason: 'thu', at: now } : undefined;
    case 'trial_settled':
      if (s.kind !== HALF_OPEN || s.trial !== e.trial) return undefined;
      return e.ok ? { to: CLOSED_STATE, reason: 'thu_thanh_cong', at: now } : { to: { kind: OPEN, since: now }, reason: 'thu_that_bai', at: now };
  }
}

/** The native `then`: called directly, it runs a handler at most once whatever the promise's own `then` does. */
const NATIVE_THEN = Promise.prototype.then;

/**
 * A fresh native promise that adopts `x`'s FIRST settlement. (`Promise.resolve`
 * returns a native promise as it is, own `then` override included, so it is
 * wrapped in a new one; the resolving functions ignore every later call.)
 */
function adoptFirstSettlement<T>(x: PromiseLike<T> | T): Promise<T> {
  return new Promise<T>((ok) => ok(x));
}

export class MachCat implements BreakerMetricSource {
  /** The breaker's name (tên). */
  readonly ten: string;
  /** The call span's name and options (`tao_span`), made once: a breaker sits on every request. */
  private readonly spanName: string;
  private readonly spanOptions: SpanOptions;
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

  private readonly clock: () => number;
  /** The clock's latest finite reading. */
  private lastReading: number;
  /** The breaker's own monotonic time: the sum of the clock's forward steps. */
  private elapsed: number;
  private readonly recoveryMs: number;
  private readonly windowMs: number;
  private readonly trialMs: number;
  private readonly fallback: ((...args: unknown[]) => unknown) | undefined;
  private readonly failures: FailureWindow;

  /** The state: changed only by `apply`, with what `transition` decided. */
  private state: CircuitState = CLOSED_STATE;
  /** True when `thuc_hien` may take the fast path: closed and no span per call (derived from `state` in `apply`). */
  private fastPath: boolean;
  /** Who hears of each state change (telemetry subscribes at construction). */
  private readonly transitionListeners: Array<(e: TransitionEvent) => void> = [];

  /** The counters the metrics read; outside the breaker so they outlive it (folded into the totals when it is collected). */
  private readonly counters: BreakerCounters;
  private requests = 0;
  private inFlight = 0;
  private trialTimeouts = 0;
  private transitions = 0;
  private unloggedRefusals = 0;
  private lastRefusalLogAt = -Infinity;

  /** Outcome handlers of non-trial calls, bound once (no closure per call). */
  private readonly onSuccess = (): void => {
    this.inFlight--;
    this.counters.thanh_cong++;
  };
  private readonly onFailure = (): void => {
    this.inFlight--;
    this.counters.that_bai++;
    if (this.state === CLOSED_STATE) this.failWhileClosed(this.readClock());
  };
  private readonly onFallbackFailure = (): void => {
    this.counters.fallback_loi++;
  };

  /**
   * @throws TypeError / RangeError for a bad option (it names which).
   */
  constructor(tuy_chon?: TuyChonMachCat) {
    const c = resolve_breaker_options(tuy_chon);
    this.ten = c.name;
    this.spanName = `machcat ${c.name}`;
    this.spanOptions = { attributes: { 'machcat.ten': c.name } };
    this.so_loi_toi_da = c.max_failures;
    this.timeout_phuc_hoi = c.recovery_ms / 1000;
    this.cua_so_thoi_gian = c.window_ms / 1000;
    this.timeout_thu = c.trial_ms / 1000;
    this.tao_span = c.span_per_call;
    this.clock = c.clock;
    this.lastReading = c.first_reading;
    this.elapsed = c.first_reading;
    this.counters = new BreakerCounters(c.name);
    this.recoveryMs = c.recovery_ms;
    this.windowMs = c.window_ms;
    this.trialMs = c.trial_ms;
    this.fallback = c.fallback;
    this.failures = new FailureWindow(c.max_failures);
    this.fastPath = !c.span_per_call;
    const counters = this.counters;
    this.transitionListeners.push((e) => record_transition(counters, e));
    track(this, this.counters);
  }

  /**
   * The time now on the breaker's own monotonic clock (ms): the injected
   * clock's forward steps only. A reading that goes backwards, is not a
   * finite number or throws is no time passing, so a clock stepped back by
   * hours cannot hold a circuit open for hours, and a NaN cannot stop it
   * from opening.
   */
  private readClock(): number {
    let t: unknown;
    try {
      t = this.clock();
    } catch {
      return this.elapsed;
    }
    if (typeof t !== 'number' || !Number.isFinite(t)) return this.elapsed;
    if (t > this.lastReading) this.elapsed += t - this.lastReading;
    this.lastReading = t;
    return this.elapsed;
  }

  /** The state now (trạng thái), computed lazily: an open circuit whose timeout passed reads as half-open. */
  get trang_thai(): TrangThaiMach {
    if (this.state !== CLOSED_STATE) this.advance(this.readClock());
    return this.state.kind;
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
    if (this.fastPath) return this.call(ham, args);
    return this.tao_span ? this.callInSpan(ham, args) : this.callByState(ham, args);
  }

  /** Calls `fn` as an ordinary (non-trial) call and books its outcome. */
  private call<A extends unknown[], T>(fn: (...args: A) => T | Promise<T>, args: A): Promise<T> {
    this.requests++;
    this.inFlight++;
    let result: T | Promise<T>;
    try {
      result = args.length === 0 ? (fn as () => T | Promise<T>)() : fn(...args);
      // Inside the try: `instanceof` on a hostile Proxy result can throw too.
      // Only a plain native promise takes the fast path: its `then` settles
      // our handlers once. A subclass or an own `then` could call them many
      // times (counts off, dang_chay negative): it goes through Promise.resolve.
      if (result instanceof Promise && result.constructor === Promise && result.then === NATIVE_THEN) {
        result.then(this.onSuccess, this.onFailure);
        return result;
      }
    } catch (e) {
      this.onFailure();
      return Promise.reject(e);
    }
    if (is_thenable(result)) {
      const p = adoptFirstSettlement(result);
      NATIVE_THEN.call(p, this.onSuccess, this.onFailure);
      return p;
    }
    this.inFlight--;
    this.counters.thanh_cong++;
    return Promise.resolve(result);
  }

  /** Closed: an ordinary call; half-open with the slot free: the trial; otherwise refused. */
  private callByState<A extends unknown[], T>(fn: (...args: A) => T | Promise<T>, args: A): Promise<T> {
    if (this.state === CLOSED_STATE) return this.call(fn, args);
    const now = this.readClock();
    this.advance(now);
    const s = this.state;
    if (s.kind === HALF_OPEN && s.trial === undefined) return this.callTrial(fn, args, now);
    return this.refuse<T>(args, now);
  }

  /** `tao_span`: the same, inside a span `machcat <ten>` made active for `fn`. */
  private callInSpan<A extends unknown[], T>(fn: (...args: A) => T | Promise<T>, args: A): Promise<T> {
    let p: Promise<T> | undefined;
    try {
      tracer().startActiveSpan(this.spanName, this.spanOptions, (span) => {
        p = this.callByState(fn, args);
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
    return p ?? this.callByState(fn, args);
  }

  /** Runs the half-open trial: the one call whose outcome decides the state. */
  private callTrial<A extends unknown[], T>(fn: (...args: A) => T | Promise<T>, args: A, now: number): Promise<T> {
    const trial: Trial = { deadline: now + this.trialMs, settled: false, manual: false };
    this.startTrial(trial, now);
    this.requests++;
    this.inFlight++;
    const ok = (): void => this.settleTrial(trial, true);
    const fail = (): void => this.settleTrial(trial, false);
    let result: T | Promise<T>;
    let isPromise: boolean;
    try {
      result = fn(...args);
      isPromise = result instanceof Promise || is_thenable(result);
    } catch (e) {
      fail();
      return Promise.reject(e);
    }
    if (isPromise) {
      const p = adoptFirstSettlement(result as PromiseLike<T>);
      NATIVE_THEN.call(p, ok, fail);
      return p;
    }
    ok();
    return Promise.resolve(result);
  }

  /** Takes the trial slot for `trial`, and reports it on the active span and in the log. */
  private startTrial(trial: Trial, now: number): void {
    this.step({ kind: 'trial_started', trial }, now);
    const span = recording_span();
    if (span !== undefined) add_event(span, 'machcat.thu', { 'machcat.ten': this.ten, 'machcat.timeout_thu_s': this.timeout_thu });
    emit_log(SeverityNumber.INFO, 'machcat.thu', `MachCat "${this.ten}": half-open, trial call started`, {
      'machcat.ten': this.ten,
      'machcat.timeout_thu_s': this.timeout_thu,
      'machcat.thoi_diem_ms': now,
    });
  }

  /** A thuc_hien trial settled. */
  private settleTrial(trial: Trial, ok: boolean): void {
    const now = this.readClock();
    this.advance(now); // may time this very trial out first
    if (trial.settled) return;
    trial.settled = true;
    this.inFlight--;
    if (ok) this.counters.thanh_cong++;
    else this.counters.that_bai++;
    // Not THE trial any more when reset() released it: an ordinary call now.
    if (!this.step({ kind: 'trial_settled', trial, ok }, now) && !ok && this.state === CLOSED_STATE) this.failWhileClosed(now);
  }

  /** Refuses a call: fallback or LoiMachMo. */
  private refuse<T>(args: unknown[], now: number): Promise<T> {
    this.requests++;
    this.counters.bi_chan++;
    const seconds = this.secondsToTrial(now);
    const fallback = this.fallback;
    const span = recording_span();
    if (span !== undefined) {
      add_event(span, 'machcat.bi_chan', { 'machcat.ten': this.ten, 'machcat.trang_thai': this.state.kind, 'machcat.giay_den_lan_thu': seconds });
      if (fallback !== undefined) add_event(span, 'machcat.fallback', { 'machcat.ten': this.ten });
    }
    this.logRefusal(now, seconds);
    if (fallback === undefined) return Promise.reject(open_circuit_error(this.ten, this.state.kind, seconds));
    this.counters.fallback++;
    let result: unknown;
    try {
      result = fallback(...args);
    } catch (e) {
      this.counters.fallback_loi++;
      return Promise.reject(e);
    }
    if (!is_thenable(result)) return Promise.resolve(result as T);
    const p = adoptFirstSettlement(result as PromiseLike<T>);
    NATIVE_THEN.call(p, undefined, this.onFallbackFailure);
    return p;
  }

  /** Refusal logs, rate-limited: one record now and then, carrying the count since the last one. */
  private logRefusal(now: number, seconds: number): void {
    this.unloggedRefusals++;
    if (now - this.lastRefusalLogAt < REFUSAL_LOG_INTERVAL_MS) return;
    const n = this.unloggedRefusals;
    this.unloggedRefusals = 0;
    this.lastRefusalLogAt = now;
    emit_log(SeverityNumber.WARN, 'machcat.bi_chan', `MachCat "${this.ten}" (${this.state.kind}) refused ${n} call(s); next trial in ${seconds.toFixed(3)} s`, {
      'machcat.ten': this.ten,
      'machcat.trang_thai': this.state.kind,
      'machcat.so_bi_chan': n,
      'machcat.giay_den_lan_thu': seconds,
      'machcat.co_fallback': this.fallback !== undefined,
    });
  }

  /** Seconds until the next trial may pass at `now`; 0 when closed or a trial may start now. */
  private secondsToTrial(now: number): number {
    const s = this.state;
    if (s.kind === OPEN) return Math.max(0, s.since + this.recoveryMs - now) / 1000;
    if (s.kind === HALF_OPEN && s.trial !== undefined) return Math.max(0, s.trial.deadline + this.recoveryMs - now) / 1000;
    return 0;
  }

  /** A failure while closed: into the window; opens the circuit when the window is full. */
  private failWhileClosed(now: number): void {
    if (this.failures.add(now, this.windowMs)) this.step(WINDOW_FULL, now);
  }

  /**
   * Brings the state up to `now`: open -> half-open once the recovery
   * timeout has passed; a trial past its deadline counts as a failure and
   * reopens the circuit as of that deadline.
   */
  private advance(now: number): void {
    for (;;) {
      const t = transition(this.state, TICK, now, this.recoveryMs);
      if (t === undefined) return;
      const s = this.state;
      if (s.kind === HALF_OPEN && s.trial !== undefined) {
        // The trial ran out of time: a failure.
        const trial = s.trial;
        trial.settled = true;
        this.trialTimeouts++;
        this.counters.that_bai++;
        if (trial.manual) this.requests++;
        else this.inFlight--;
      }
      this.apply(t);
    }
  }

  /** Decides what `e` does at `now` and applies it; false when it changes nothing. */
  private step(e: CircuitEvent, now: number): boolean {
    const t = transition(this.state, e, now, this.recoveryMs);
    if (t === undefined) return false;
    this.apply(t);
    return true;
  }

  /** Every state change goes through here; a change of kind is a transition, told to the listeners. */
  private apply(t: Transition): void {
    const from = this.state.kind;
    const to = t.to.kind;
    this.state = t.to;
    this.fastPath = t.to === CLOSED_STATE && !this.tao_span;
    if (to === from) return;
    if (to !== HALF_OPEN) this.failures.clear();
    this.transitions++;
    const e: TransitionEvent = { breaker: this.ten, from, to, reason: t.reason, at_ms: t.at, unlogged_refusals: this.unloggedRefusals };
    this.unloggedRefusals = 0;
    for (const listener of this.transitionListeners) {
      try {
        listener(e);
      } catch (err) {
        report_failure('MachCat: a state-change subscriber', err);
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
    if (this.state === CLOSED_STATE) return true;
    const now = this.readClock();
    this.advance(now);
    const state = this.state;
    if (state.kind === HALF_OPEN && state.trial === undefined) {
      this.startTrial({ deadline: now + this.trialMs, settled: false, manual: true }, now);
      return true;
    }
    this.requests++;
    this.counters.bi_chan++;
    const seconds = this.secondsToTrial(now);
    const span = recording_span();
    if (span !== undefined) add_event(span, 'machcat.bi_chan', { 'machcat.ten': this.ten, 'machcat.trang_thai': state.kind, 'machcat.giay_den_lan_thu': seconds });
    this.logRefusal(now, seconds);
    return false;
  }

  /**
   * Records a successful request (ghi nhận thành công). While a trial granted
   * by `cho_phep()` is out, this is taken as its outcome and closes the
   * circuit (the manual API cannot tell which call reports).
   */
  ghi_nhan_thanh_cong(): void {
    this.requests++;
    this.counters.thanh_cong++;
    if (this.state === CLOSED_STATE) return;
    const now = this.readClock();
    this.advance(now);
    this.settleManualTrial(true, now);
  }

  /**
   * Records a failed request (ghi nhận lỗi). Closed: it enters the window and
   * may open the circuit. While a `cho_phep()` trial is out: taken as its
   * outcome, the circuit opens again.
   */
  ghi_nhan_loi(): void {
    this.requests++;
    this.counters.that_bai++;
    const now = this.readClock();
    if (this.state === CLOSED_STATE) {
      this.failWhileClosed(now);
      return;
    }
    this.advance(now);
    this.settleManualTrial(false, now);
  }

  /** A recorded outcome while a `cho_phep()` trial is out is that trial's outcome. */
  private settleManualTrial(ok: boolean, now: number): void {
    const s = this.state;
    if (s.kind !== HALF_OPEN || s.trial === undefined || !s.trial.manual) return;
    s.trial.settled = true;
    this.step({ kind: 'trial_settled', trial: s.trial, ok }, now);
  }

  /**
   * Closes the circuit and forgets the window (đặt lại). Statistics are kept
   * (they feed monotonic metrics). A trial still running finishes as an
   * ordinary call.
   */
  reset(): void {
    this.failures.clear();
    if (this.state !== CLOSED_STATE) this.step(RESET, this.readClock());
  }

  /** Statistics (lấy thống kê): the seed's keys plus dang_chay, fallback_loi, het_gio_thu, ... */
  lay_thong_ke(): ThongKeMachCat {
    const now = this.readClock();
    if (this.state !== CLOSED_STATE) this.advance(now);
    const requests = this.requests;
    const c = this.counters;
    return {
      trang_thai: this.state.kind,
      tong_request: requests,
      thanh_cong: c.thanh_cong,
      that_bai: c.that_bai,
      bi_chan: c.bi_chan,
      fallback: c.fallback,
      chuyen_trang_thai: this.transitions,
      ty_le_thanh_cong: requests === 0 ? 0 : c.thanh_cong / requests,
      ty_le_that_bai: requests === 0 ? 0 : c.that_bai / requests,
      ten: this.ten,
      dang_chay: this.inFlight,
      fallback_loi: c.fallback_loi,
      het_gio_thu: this.trialTimeouts,
      loi_trong_cua_so: this.state === CLOSED_STATE ? this.failures.count_within(now, this.windowMs) : 0,
      giay_den_lan_thu: this.secondsToTrial(now),
    };
  }

  /** @internal read by the module's metric source at each collection. */
  so_lieu_metric(): BreakerMetrics {
    if (this.state !== CLOSED_STATE) this.advance(this.readClock());
    const c = this.counters;
    return {
      ten: this.ten,
      trang_thai: this.state.kind,
      thanh_cong: c.thanh_cong,
      that_bai: c.that_bai,
      bi_chan: c.bi_chan,
      fallback: c.fallback,
      fallback_loi: c.fallback_loi,
      dang_chay: this.inFlight,
      den_dong: c.den_dong,
      den_mo: c.den_mo,
      den_nua_mo: c.den_nua_mo,
    };
  }
}
