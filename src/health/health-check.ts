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
import { read_disk, system_info, type DiskReading } from './system.js';
import type { ChiTietCheck, HamCheck, KetQuaKiemTra, MauLichSu, TrangThaiCheck, TrangThaiSucKhoe, TuyChonChecksMacDinh, TuyChonSucKhoe } from './types.js';
import { LoiCheckDaTonTai } from './errors.js';
import { describe_error } from './describe-error.js';
import { record_check_durations, track_health, in_run_span, type HealthSource } from './telemetry.js';
import { start_loop_watch, current_lag_ms } from './event-loop.js';
import { default_checks } from './default-checks.js';
import { race_deadline } from '../core/deadline.js';
import { is_thenable } from '../core/thenable.js';
import { boolean_option, check_options, number_option, string_option } from '../core/options.js';
import { StartupTracker } from './startup.js';

/** The outcome of one call of a check function. */
interface CallOutcome {
  state: TrangThaiCheck;
  error?: string;
  settledAt: number;
}

/** A call of a check function that has not settled yet. */
interface PendingCall {
  readonly startedAt: number;
  readonly outcome: Promise<CallOutcome>;
}

interface RegisteredCheck {
  readonly name: string;
  readonly fn: HamCheck;
  readonly description: string;
  readonly critical: boolean;
  /** Marked for start-up: /startupz waits until it has passed once. */
  readonly startup: boolean;
  pending: PendingCall | undefined;
}

/** Yields one turn of the event loop. */
const yieldTurn = (): Promise<void> => new Promise((r) => setImmediate(r));
const OWNER = 'KiemTraSucKhoe';
/** The option keys of `new KiemTraSucKhoe()`: any other key is a typo that would silently keep a default. */
const KNOWN_OPTIONS = new Set(['timeout', 'mau_lich_su', 'thoi_gian_cache', 'duong_dan_dia', 'ten', 'tre_vong_lap_live', 'nguong_heap_live']);
/** setTimeout's largest delay (s). */
const MAX_TIMER_S = 2_147_483;

function callCheck(fn: HamCheck): Promise<CallOutcome> {
  const failed = (e: unknown): CallOutcome => ({ state: 'error', error: describe_error(e), settledAt: performance.now() });
  try {
    const v: unknown = fn();
    // A thenable whose `then` getter throws is an error of the check, not of the run.
    if (is_thenable(v)) {
      return Promise.resolve(v as PromiseLike<unknown>).then((x): CallOutcome => ({ state: x ? 'ok' : 'fail', settledAt: performance.now() }), failed);
    }
    return Promise.resolve({ state: v ? 'ok' : 'fail', settledAt: performance.now() });
  } catch (e) {
    return Promise.resolve(failed(e));
  }
}

/** Overall state: unhealthy when a critical check is not ok, degraded when only non-critical ones are not. */
function overallState(checks: readonly RegisteredCheck[], details: readonly ChiTietCheck[]): TrangThaiSucKhoe {
  let state: TrangThaiSucKhoe = 'healthy';
  for (let i = 0; i < checks.length; i++) {
    if (details[i]!.trang_thai === 'ok') continue;
    if (checks[i]!.critical) return 'unhealthy';
    state = 'degraded';
  }
  return state;
}

function freezeResult(result: KetQuaKiemTra): KetQuaKiemTra {
  for (const detail of Object.values(result.chi_tiet)) Object.freeze(detail);
  Object.freeze(result.chi_tiet);
  Object.freeze(result.he_thong);
  return Object.freeze(result);
}

/** Milliseconds rounded to the microsecond, as results report them. */
const roundMs = (ms: number): number => Math.round(ms * 1000) / 1000;

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
  /** live(): event-loop lag limit (s). */
  private readonly maxLoopLagS: number;
  /** live(): heap limit, a fraction of V8's. */
  private readonly maxHeapFraction: number;
  private readonly checks = new Map<string, RegisteredCheck>();
  private readonly history: MauLichSu[] = [];
  private readonly createdAt = performance.now();
  private running: Promise<KetQuaKiemTra> | undefined;
  private latest: KetQuaKiemTra | undefined;
  private latestExpiresAt = 0;
  private lastDisk: DiskReading | undefined;
  private shuttingDown = false;
  private readonly stopReporting: () => void;
  private readonly metricSource: HealthSource;
  private readonly startup = new StartupTracker();

  constructor(tuy_chon: TuyChonSucKhoe = {}) {
    const o = check_options(OWNER, tuy_chon, KNOWN_OPTIONS);
    const seconds = { unit: 'seconds', min: 0, max: MAX_TIMER_S } as const;
    this.timeout = number_option(OWNER, 'timeout', o.timeout, 5.0, { ...seconds, min_exclusive: true });
    this.mau_lich_su = number_option(OWNER, 'mau_lich_su', o.mau_lich_su, 100, { integer: true, min: 0, max: 1_000_000 });
    this.thoi_gian_cache = number_option(OWNER, 'thoi_gian_cache', o.thoi_gian_cache, 1.0, { ...seconds, max: 86_400 });
    this.duong_dan_dia = string_option(OWNER, 'duong_dan_dia', o.duong_dan_dia, process.cwd());
    this.ten = string_option(OWNER, 'ten', o.ten, 'default');
    this.maxLoopLagS = number_option(OWNER, 'tre_vong_lap_live', o.tre_vong_lap_live, 10, { ...seconds, min_exclusive: true });
    this.maxHeapFraction = number_option(OWNER, 'nguong_heap_live', o.nguong_heap_live, 0.98, { min: 0, min_exclusive: true, max: 1 });
    start_loop_watch();
    // The metric source holds its entries weakly: the instance keeps its entry
    // alive (a bare object literal was collected at the next GC, and the
    // instance's check gauges vanished while it lived).
    this.metricSource = { name: this.ten, latest: () => this.latest };
    this.stopReporting = track_health(this.metricSource);
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
    const where = 'KiemTraSucKhoe.dang_ky_check';
    if (typeof ten !== 'string' || ten.trim() === '') throw new TypeError(`${where}: ten must be a non-empty string`);
    if (ten.length > 200) throw new RangeError(`${where}: ten must be at most 200 characters`);
    if (typeof ham !== 'function') throw new TypeError(`${where}: ham of ${JSON.stringify(ten)} must be a function, got ${ham === null ? 'null' : typeof ham}`);
    if (typeof mo_ta !== 'string') throw new TypeError(`${where}: mo_ta must be a string`);
    const critical = boolean_option(where, 'quan_trong', quan_trong, true);
    const startup = boolean_option(where, 'khoi_dong', khoi_dong, false);
    if (this.checks.has(ten)) throw new LoiCheckDaTonTai(ten);
    this.checks.set(ten, { name: ten, fn: ham, description: mo_ta, critical, startup, pending: undefined });
    this.latest = undefined; // a cached result would miss the new check
  }

  /** Removes a check (xóa check); true when it existed. */
  xoa_check(ten: string): boolean {
    const existed = this.checks.delete(ten);
    if (existed) this.latest = undefined;
    return existed;
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
    if (this.running !== undefined) return this.running;
    if (this.latest !== undefined && performance.now() < this.latestExpiresAt) return Promise.resolve(this.latest);
    const run = in_run_span(this.ten, () => this.run());
    this.running = run;
    const settled = (): void => {
      if (this.running === run) this.running = undefined;
    };
    run.then(settled, settled);
    return run;
  }

  private async run(): Promise<KetQuaKiemTra> {
    const t0 = performance.now();
    const checks = [...this.checks.values()];
    // Each check is called in its own turn of the event loop: a check that
    // blocks (synchronous work) then delays other callbacks (a /livez probe)
    // by one call at most, not by the sum of all. Async checks still start
    // together (a turn of an idle loop takes microseconds).
    const calls: Promise<ChiTietCheck>[] = [];
    for (const c of checks) {
      await yieldTurn();
      calls.push(this.runOne(c));
    }
    const disk = this.readDisk(t0);
    const details = await Promise.all(calls);
    const chi_tiet: Record<string, ChiTietCheck> = {};
    checks.forEach((c, i) => {
      chi_tiet[c.name] = details[i]!;
    });
    const trang_thai = overallState(checks, details);
    const he_thong = system_info(await disk);
    const result: KetQuaKiemTra = freezeResult({
      trang_thai,
      chi_tiet,
      he_thong,
      thoi_gian_ms: roundMs(performance.now() - t0),
      uptime_s: Math.round((performance.now() - this.createdAt) / 10) / 100,
      timestamp: Date.now(),
      dang_tat: this.shuttingDown,
    });
    this.latest = result;
    this.latestExpiresAt = performance.now() + this.thoi_gian_cache * 1000;
    this.remember(result);
    record_check_durations(this.ten, result);
    this.startup.record(result);
    return result;
  }

  /**
   * The disk reading, sharing the run's deadline (counted from `t0`); the
   * last good reading when statfs does not answer in time or fails.
   */
  private readDisk(t0: number): Promise<DiskReading | undefined> {
    return race_deadline(read_disk(this.duong_dan_dia), this.timeout * 1000 - (performance.now() - t0), true).then(
      (d) => (d.kind === 'timed_out' ? this.lastDisk : (this.lastDisk = d.value)),
      () => this.lastDisk,
    );
  }

  /** Appends a run to the history, keeping at most `mau_lich_su` entries. */
  private remember(result: KetQuaKiemTra): void {
    if (this.mau_lich_su <= 0) return;
    this.history.push({ trang_thai: result.trang_thai, thoi_gian_ms: result.thoi_gian_ms, timestamp: result.timestamp });
    if (this.history.length > this.mau_lich_su) this.history.splice(0, this.history.length - this.mau_lich_su);
  }

  /**
   * One check, with its own deadline counted from its turn: a check that
   * waited for its turn behind a blocking one (or a busy machine) still gets
   * the whole `timeout`, and one that settled at once is never "timed out".
   */
  private async runOne(c: RegisteredCheck): Promise<ChiTietCheck> {
    let call = c.pending;
    if (call === undefined) {
      const started: PendingCall = { startedAt: performance.now(), outcome: callCheck(c.fn) };
      c.pending = call = started;
      const clear = (): void => {
        if (c.pending === started) c.pending = undefined;
      };
      void started.outcome.then(clear);
    }
    const raced = await race_deadline(call.outcome, this.timeout * 1000, true);
    const base = { quan_trong: c.critical, mo_ta: c.description };
    if (raced.kind === 'timed_out') {
      const ms = performance.now() - call.startedAt;
      return { trang_thai: 'error', ...base, loi: `timed out: not settled within ${this.timeout} s (pending for ${Math.round(ms)} ms)`, thoi_gian_ms: roundMs(ms) };
    }
    const outcome = raced.value;
    const detail: ChiTietCheck = { trang_thai: outcome.state, ...base, thoi_gian_ms: roundMs(outcome.settledAt - call.startedAt) };
    if (outcome.error !== undefined) detail.loi = outcome.error;
    return detail;
  }

  /**
   * Readiness: true when healthy or degraded. False at once (without running
   * checks) after `bat_dau_tat()`.
   */
  async ready(): Promise<boolean> {
    if (this.shuttingDown) return false;
    const result = await this.kiem_tra();
    return !this.shuttingDown && result.trang_thai !== 'unhealthy';
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
    if (this.startup.hasStarted(this.checks.values())) return true;
    await this.kiem_tra();
    return this.startup.hasStarted(this.checks.values());
  }

  /** The start-up checks that have not passed yet (empty once started). */
  checks_khoi_dong_cho(): string[] {
    return this.startup.waiting(this.checks.values());
  }

  /**
   * Liveness: can this process still serve? True unless the event loop is
   * lagging more than `tre_vong_lap_live` seconds or the heap is above
   * `nguong_heap_live` of V8's limit. Never runs dependency checks, stays
   * true during graceful shutdown.
   */
  live(): boolean {
    const t = this.chi_tiet_live();
    return t.tre_vong_lap_ms < this.maxLoopLagS * 1000 && t.heap_ty_le < this.maxHeapFraction;
  }

  /** The figures `live()` decides on (chi tiết live). */
  chi_tiet_live(): { tre_vong_lap_ms: number; heap_used_mb: number; heap_limit_mb: number; heap_ty_le: number } {
    const h = getHeapStatistics();
    return {
      tre_vong_lap_ms: Math.round(current_lag_ms()),
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
    const checks = default_checks(this.duong_dan_dia, model, tuy_chon);
    for (const c of checks) if (this.checks.has(c.name)) throw new LoiCheckDaTonTai(c.name);
    for (const c of checks) this.dang_ky_check(c.name, c.fn, c.description, c.critical);
  }

  /** Run history (lịch sử), oldest first, at most `mau_lich_su` entries. */
  lich_su(): MauLichSu[] {
    return this.history.map((m) => ({ ...m }));
  }

  /** Fraction of runs in the history that were healthy (tỷ lệ healthy); 1.0 with no history. */
  ty_le_healthy(): number {
    if (this.history.length === 0) return 1.0;
    let healthy = 0;
    for (const m of this.history) if (m.trang_thai === 'healthy') healthy++;
    return healthy / this.history.length;
  }

  /**
   * Begins shutdown (bắt đầu tắt): from now on readiness is false at once,
   * while liveness is unchanged. Used by the graceful-shutdown helper.
   */
  bat_dau_tat(): void {
    this.shuttingDown = true;
  }

  /** True after `bat_dau_tat()` (đang tắt). */
  get dang_tat(): boolean {
    return this.shuttingDown;
  }

  /** The newest result without running anything (kết quả cuối), if any. */
  ket_qua_cuoi(): KetQuaKiemTra | undefined {
    return this.latest;
  }

  /** Stops reporting this instance's metrics (đóng: close). */
  dong(): void {
    this.stopReporting();
  }

  [Symbol.dispose](): void {
    this.dong();
  }
}
