/**
 * LamNongModel (model warm-up): runs a few predictions on sample data before
 * a model takes traffic, so the first real request does not pay for lazy
 * initialisation (an ONNX Runtime session's first run is ~100x a warm one).
 *
 * What it guarantees, and why:
 * - A model is warmed ONLY when its latest warm-up succeeded; a failed one
 *   reports `trang_thai: "loi"` and the model is not ready (`san_sang()`),
 *   like Triton, which holds readiness until warm-up succeeds.
 * - Concurrent `lam_nong` / `lay_model` calls for one model share ONE
 *   warm-up (single flight): a burst of requests at start-up must not run
 *   the warm-up once per request.
 * - Warm-up yields to the event loop (setImmediate) before every run, so
 *   probes and other requests are delayed by at most one run, even for a
 *   model whose prediction blocks the thread (ORT's `session.run` does).
 * - Background refresh uses one unref'd timer (it never keeps the process
 *   alive), re-arms only after a cycle finished (never overlaps itself), and
 *   `dung_auto_refresh()` clears the timer at once.
 */
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import type { HamDuDoan, KetQuaLamNong, LyDoLamNong, ThongKeLamNong, TrangThaiModel, TuyChonDangKyModel, TuyChonLamNongModel } from './types.js';
import { LoiKhongCoModel, LoiLamNong } from './errors.js';
import { add_event, emit_model_event, guard_telemetry, record_warmup, track, tracer, type ModelMetrics } from './telemetry.js';
import { race_deadline } from '../core/deadline.js';
import { error_text } from '../core/error-text.js';
import { find_predict } from '../core/model-predict.js';
import { check_model_name, MAX_TIMER_DELAY_MS, resolve_registration_options, resolve_warmup_options } from './options.js';

/** One registered model and its warm-up state. */
interface ModelEntry {
  readonly name: string;
  readonly model: unknown;
  readonly sample: unknown;
  readonly has_sample: boolean;
  readonly has_predict_option: boolean;
  /** The resolved prediction, or undefined when there is nothing to run. */
  readonly predict: ((x: unknown) => unknown) | undefined;
  readonly auto_refresh: boolean;
  readonly registered_at: number;
  /** True only when the latest finished warm-up succeeded. */
  warmed: boolean;
  /** The warm-up running now, shared by every caller (single flight). */
  running: Promise<KetQuaLamNong> | undefined;
  last_result: KetQuaLamNong | null;
  last_warmup_at: number | null;
  ok_count: number;
  failed_count: number;
  total_ms: number;
}

/** A running background refresh. */
interface RefreshSession {
  stopped: boolean;
  timer: NodeJS.Timeout | undefined;
}

/** What the prediction runs of one warm-up came to. */
interface RunsOutcome {
  /** Runs that succeeded. */
  readonly runs: number;
  /** The first failure's text, or null. */
  readonly error: string | null;
}

/**
 * The prediction for a model: `ham_du_doan`, else `model.du_doan`, else
 * `model.predict`, else the model itself when it is a function (methods are
 * called on the model, so `this` works).
 */
function resolvePredict(model: unknown, predict: HamDuDoan | undefined): ((x: unknown) => unknown) | undefined {
  return predict !== undefined ? (x) => predict(x) : find_predict(model);
}

/** A run that did not settle within `timeout_lan_chay` (its message is the result's `loi`). */
class RunTimeoutError extends Error {
  // Shown to users (in `loi` and as the span's exception type): kept as released.
  override readonly name = 'LoiHetGioLanChay';
  constructor(run: number, seconds: number) {
    super(`run ${run} timed out: not settled within ${seconds} s (timeout_lan_chay)`);
  }
}

/** Resolves on the next check phase of the event loop: timers and I/O run first. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

export class LamNongModel {
  /** Warm a model on `lay_model` when not warmed yet. */
  readonly tu_dong_lam_nong: boolean;
  /** Seconds between background refresh cycles. */
  readonly thoi_gian_refresh: number;
  /** Prediction runs per warm-up. */
  readonly so_lan_warmup: number;
  /** Seconds one prediction run may take before it counts as failed. */
  readonly timeout_lan_chay: number;
  private readonly models = new Map<string, ModelEntry>();
  private refreshSession: RefreshSession | undefined;

  /** @throws TypeError / RangeError for a bad option (unknown keys included). */
  constructor(tuy_chon?: TuyChonLamNongModel) {
    const config = resolve_warmup_options(tuy_chon);
    this.tu_dong_lam_nong = config.auto_warmup;
    this.thoi_gian_refresh = config.refresh_period_s;
    this.so_lan_warmup = config.runs_per_warmup;
    this.timeout_lan_chay = config.run_timeout_s;
    track(this);
  }

  /**
   * Registers a model (đăng ký model) under `ten`, replacing one of the same
   * name (the new entry starts not warmed; a warm-up still running for the
   * old one no longer affects it).
   * @throws TypeError for a bad name or option, or when sample data is given
   *   but there is no way to predict (no `ham_du_doan`, no `du_doan`/`predict`
   *   method, and the model is not a function).
   */
  dang_ky_model(ten: string, model: unknown, tuy_chon?: TuyChonDangKyModel): void {
    check_model_name('dang_ky_model', ten);
    if (model === undefined || model === null) throw new TypeError(`dang_ky_model: model ${JSON.stringify(ten)} is ${String(model)}`);
    const config = resolve_registration_options(tuy_chon);
    const predict = resolvePredict(model, config.predict);
    const runnable = config.has_sample || config.predict !== undefined;
    if (runnable && predict === undefined) {
      throw new TypeError(`dang_ky_model: model ${JSON.stringify(ten)} has no du_doan or predict method and is not a function; pass ham_du_doan`);
    }
    this.models.set(ten, {
      name: ten,
      model,
      sample: config.sample,
      has_sample: config.has_sample,
      has_predict_option: config.predict !== undefined,
      predict: runnable ? predict : undefined,
      auto_refresh: config.auto_refresh,
      registered_at: Date.now(),
      warmed: false,
      running: undefined,
      last_result: null,
      last_warmup_at: null,
      ok_count: 0,
      failed_count: 0,
      total_ms: 0,
    });
  }

  /**
   * Warms a model (làm nóng): `so_lan_warmup` predictions on its sample
   * data, yielding to the event loop before each. Resolves with the result
   * even when the warm-up failed (`trang_thai: "loi"`); joins a warm-up of
   * the same model that is already running. A model registered without
   * sample data or `ham_du_doan` has nothing to run: `so_lan` 0, "ok".
   * @throws (rejects) LoiKhongCoModel for an unknown name, TypeError for a bad one.
   */
  async lam_nong(ten: string): Promise<KetQuaLamNong> {
    return this.singleFlight(this.entryOf('lam_nong', ten), 'lam_nong');
  }

  /** Warms every registered model, one after the other (làm nóng tất cả). */
  async lam_nong_tat_ca(): Promise<Record<string, KetQuaLamNong>> {
    const results: Record<string, KetQuaLamNong> = {};
    for (const entry of [...this.models.values()]) results[entry.name] = await this.singleFlight(entry, 'lam_nong_tat_ca');
    return results;
  }

  /**
   * The model (lấy model), warmed first when `tu_dong_lam_nong` and it is
   * not warmed (sharing a warm-up already running). On a warmed model this
   * does not wait for a background refresh.
   * @throws (rejects) LoiKhongCoModel for an unknown name; LoiLamNong when
   *   the warm-up it ran failed (a later call tries again).
   */
  async lay_model(ten: string): Promise<unknown> {
    const entry = this.entryOf('lay_model', ten);
    if (!this.tu_dong_lam_nong || entry.warmed) return entry.model;
    const result = await this.singleFlight(entry, 'lay_model');
    if (result.trang_thai !== 'ok') throw new LoiLamNong(result);
    return entry.model;
  }

  /**
   * Starts background refresh: every `thoi_gian_refresh` seconds, re-warms
   * each model registered with `tu_dong_refresh`, one after the other. The
   * next cycle is armed only when the previous one finished. The timer is
   * unref'd: it never keeps the process alive. Idempotent.
   */
  bat_dau_auto_refresh(): void {
    if (this.refreshSession !== undefined) return;
    const session: RefreshSession = { stopped: false, timer: undefined };
    this.refreshSession = session;
    this.armRefresh(session, performance.now() + this.thoi_gian_refresh * 1000);
  }

  /**
   * Stops background refresh at once: the timer is cleared, and a cycle in
   * progress stops before its next model (the warm-up running now, which
   * other callers may share, completes). Idempotent.
   */
  dung_auto_refresh(): void {
    const session = this.refreshSession;
    if (session === undefined) return;
    session.stopped = true;
    if (session.timer !== undefined) clearTimeout(session.timer);
    session.timer = undefined;
    this.refreshSession = undefined;
  }

  /** Removes a model (xóa model); true when one was registered under `ten`. */
  xoa_model(ten: string): boolean {
    check_model_name('xoa_model', ten);
    return this.models.delete(ten);
  }

  /** A model's state, or undefined when none is registered under `ten`. */
  trang_thai_model(ten: string): TrangThaiModel | undefined {
    check_model_name('trang_thai_model', ten);
    const m = this.models.get(ten);
    if (m === undefined) return undefined;
    return {
      ten: m.name,
      da_warmup: m.warmed,
      dang_warmup: m.running !== undefined,
      co_du_lieu_mau: m.has_sample,
      co_ham_du_doan: m.has_predict_option,
      tu_dong_refresh: m.auto_refresh,
      so_lan_lam_nong: m.ok_count + m.failed_count,
      so_lan_loi: m.failed_count,
      thoi_diem_warmup_cuoi: m.last_warmup_at,
      ket_qua_cuoi: m.last_result === null ? null : { ...m.last_result },
      tong_thoi_gian_warmup_ms: m.total_ms,
      thoi_diem_dang_ky: m.registered_at,
    };
  }

  /** Registered model names, in registration order (danh sách models). */
  danh_sach_models(): string[] {
    return [...this.models.keys()];
  }

  /** Statistics (thống kê): the seed's keys. */
  thong_ke(): ThongKeLamNong {
    let warmed = 0;
    let totalMs = 0;
    for (const m of this.models.values()) {
      if (m.warmed) warmed++;
      totalMs += m.total_ms;
    }
    return {
      so_models: this.models.size,
      da_warmup: warmed,
      chua_warmup: this.models.size - warmed,
      tong_thoi_gian_warmup_ms: totalMs,
      tu_dong_lam_nong: this.tu_dong_lam_nong,
      auto_refresh: this.refreshSession !== undefined,
    };
  }

  /**
   * Readiness (sẵn sàng): true when every registered model is warmed (true
   * with none registered), or, given names, when each of those is registered
   * and warmed. A plain read: cheap enough for a probe.
   */
  san_sang(ds_ten?: readonly string[]): boolean {
    if (ds_ten === undefined) {
      for (const m of this.models.values()) if (!m.warmed) return false;
      return true;
    }
    for (const name of ds_ten) if (this.models.get(name)?.warmed !== true) return false;
    return true;
  }

  /**
   * A readiness check function for KiemTraSucKhoe (hàm kiểm tra sẵn sàng):
   * `health.dang_ky_check('models_warm', lam_nong.ham_kiem_tra_san_sang(), 'models warmed', true)`.
   * Pass names to require those models even before they are registered.
   * While a required model's latest warm-up failed, the check throws an
   * error naming it and the reason (the check's `loi`).
   * @throws TypeError when `ds_ten` is not an array of non-empty strings.
   */
  ham_kiem_tra_san_sang(ds_ten?: readonly string[]): () => boolean {
    if (ds_ten !== undefined) {
      if (!Array.isArray(ds_ten)) throw new TypeError('ham_kiem_tra_san_sang: expected an array of model names');
      for (const name of ds_ten) check_model_name('ham_kiem_tra_san_sang', name);
      const names = [...ds_ten];
      return () => this.san_sang(names) || this.throwIfFailed(names);
    }
    return () => this.san_sang() || this.throwIfFailed(undefined);
  }

  /**
   * For a readiness check that is failing: throws an error naming every
   * required model whose latest warm-up failed, with its reason, so the
   * health result says WHICH model holds readiness and why (a plain `false`
   * gives no reason). False when none failed (still warming, or not yet
   * warmed or registered).
   */
  private throwIfFailed(names: readonly string[] | undefined): false {
    const failed: string[] = [];
    const entries = names === undefined ? [...this.models.values()] : names.map((name) => this.models.get(name));
    for (const m of entries) {
      const last = m?.last_result;
      if (m !== undefined && !m.warmed && last?.trang_thai === 'loi') failed.push(`${JSON.stringify(m.name)} (${last.loi ?? 'failed'})`);
    }
    if (failed.length > 0) throw new Error(`models not warmed: ${failed.join('; ')}`);
    return false;
  }

  /** @internal the metric source's read (plain fields). */
  so_lieu_metric(): ModelMetrics[] {
    const out: ModelMetrics[] = [];
    for (const m of this.models.values()) out.push({ ten: m.name, da_warmup: m.warmed, so_ok: m.ok_count, so_loi: m.failed_count });
    return out;
  }

  /** The entry registered under `name`, for public method `method`; LoiKhongCoModel when none. */
  private entryOf(method: string, name: string): ModelEntry {
    check_model_name(method, name);
    const m = this.models.get(name);
    if (m === undefined) throw new LoiKhongCoModel(name, [...this.models.keys()]);
    return m;
  }

  /**
   * The single flight: joins the running warm-up of `entry`, or starts one.
   * Every caller gets its own copy of the result.
   */
  private singleFlight(entry: ModelEntry, reason: LyDoLamNong): Promise<KetQuaLamNong> {
    let p = entry.running;
    if (p === undefined) {
      const started: Promise<KetQuaLamNong> = this.warmupInSpan(entry, reason).finally(() => {
        if (entry.running === started) entry.running = undefined;
      });
      entry.running = p = started;
    }
    return p.then((result) => ({ ...result }));
  }

  /** One warm-up in its span. Never rejects. */
  private warmupInSpan(entry: ModelEntry, reason: LyDoLamNong): Promise<KetQuaLamNong> {
    const attributes = { model_name: entry.name, 'lam_nong.ly_do': reason, 'lam_nong.so_lan_warmup': this.so_lan_warmup };
    // Refresh cycles start from a timer that captured whatever context armed
    // it: their spans are roots, not children of some old request.
    const spanOptions = { attributes, root: reason === 'refresh' };
    let out: Promise<KetQuaLamNong> | undefined;
    guard_telemetry(() => {
      tracer().startActiveSpan(`lam_nong ${entry.name}`, spanOptions, (span) => (out = this.warmup(entry, span, reason)));
    });
    // Only if the tracer failed before calling back: warm up without a span.
    return out ?? this.warmup(entry, undefined, reason);
  }

  /** One warm-up: the runs, then the entry's state and telemetry. Never rejects. */
  private async warmup(entry: ModelEntry, span: Span | undefined, reason: LyDoLamNong): Promise<KetQuaLamNong> {
    // A caller awaits a warm-up it started, so its deadline keeps the process
    // alive (the code after the await runs); a background refresh must not.
    const keepAlive = reason !== 'refresh';
    const start = performance.now();
    const { runs, error } = entry.predict === undefined ? { runs: 0, error: null } : await this.predictRuns(entry.predict, entry.sample, span, keepAlive);
    const result: KetQuaLamNong = { ten: entry.name, thoi_gian_ms: performance.now() - start, so_lan: runs, trang_thai: error === null ? 'ok' : 'loi', loi: error };
    this.recordResult(entry, result, span);
    return result;
  }

  /**
   * Up to `so_lan_warmup` predictions on `sample`, each after a yield to the
   * event loop and within `timeout_lan_chay`; stops at the first failure (a
   * failing model is not hammered with the remaining runs).
   */
  private async predictRuns(predict: (x: unknown) => unknown, sample: unknown, span: Span | undefined, keepAlive: boolean): Promise<RunsOutcome> {
    const timeoutMs = this.timeout_lan_chay * 1000;
    let runs = 0;
    for (let run = 1; run <= this.so_lan_warmup; run++) {
      await yieldToEventLoop();
      const t0 = performance.now();
      try {
        const raced = await race_deadline(
          new Promise((ok) => ok(predict(sample))),
          timeoutMs,
          keepAlive,
        );
        if (raced.kind === 'timed_out') throw new RunTimeoutError(run, this.timeout_lan_chay);
        runs++;
        if (span !== undefined) add_event(span, 'lam_nong.lan_chay', { 'lam_nong.lan': run, 'lam_nong.thoi_gian_ms': performance.now() - t0, 'lam_nong.ket_qua': 'ok' });
      } catch (e) {
        const error = error_text(e);
        if (span !== undefined) {
          add_event(span, 'lam_nong.lan_chay', { 'lam_nong.lan': run, 'lam_nong.thoi_gian_ms': performance.now() - t0, 'lam_nong.ket_qua': 'loi', 'lam_nong.loi': error });
          guard_telemetry(() => span.recordException(e instanceof Error ? e : error));
        }
        return { runs, error };
      }
    }
    return { runs, error: null };
  }

  /** Books a finished warm-up into its entry, the metrics and the log, and ends its span. */
  private recordResult(entry: ModelEntry, result: KetQuaLamNong, span: Span | undefined): void {
    const { thoi_gian_ms, so_lan, trang_thai, loi } = result;
    entry.warmed = trang_thai === 'ok';
    entry.last_result = result;
    entry.last_warmup_at = Date.now();
    entry.total_ms += thoi_gian_ms;
    if (loi === null) entry.ok_count++;
    else entry.failed_count++;
    record_warmup(entry.name, thoi_gian_ms, trang_thai);
    emit_model_event(loi === null ? 'warmup_ok' : 'warmup_loi', entry.name, { thoi_gian_ms, so_lan, ...(loi === null ? {} : { loi }) }, loi !== null);
    if (span !== undefined) {
      guard_telemetry(() => {
        span.setAttributes({ 'lam_nong.trang_thai': trang_thai, 'lam_nong.so_lan': so_lan, 'lam_nong.thoi_gian_ms': thoi_gian_ms });
        if (loi !== null) span.setStatus({ code: SpanStatusCode.ERROR, message: loi });
        span.end();
      });
    }
  }

  /**
   * Arms the refresh timer for `deadline` (performance.now() ms). Long
   * periods are waited in chunks: Node turns a delay over 2^31-1 ms into 1 ms.
   */
  private armRefresh(session: RefreshSession, deadline: number): void {
    if (session.stopped) return;
    const remaining = deadline - performance.now();
    if (remaining > 0) {
      session.timer = setTimeout(() => this.armRefresh(session, deadline), Math.min(Math.ceil(remaining), MAX_TIMER_DELAY_MS));
      session.timer.unref();
      return;
    }
    session.timer = undefined;
    void this.refreshCycle(session).finally(() => this.armRefresh(session, performance.now() + this.thoi_gian_refresh * 1000));
  }

  /** One refresh cycle over the models with `tu_dong_refresh`, stopping early on dung_auto_refresh. */
  private async refreshCycle(session: RefreshSession): Promise<void> {
    for (const entry of [...this.models.values()]) {
      if (session.stopped) return;
      if (!entry.auto_refresh || this.models.get(entry.name) !== entry) continue;
      await this.singleFlight(entry, 'refresh');
    }
  }
}
