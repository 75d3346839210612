/**
 * `LoggerCauTruc` (structured logger): one JSON object per line, and the
 * same record as an OpenTelemetry log record correlated with the active span.
 *
 * The hot path, in order (WHY each step is where it is):
 * 1. level check first: a filtered call costs a compare and a return;
 * 2. one `context.active()` serves the trace ids of the line AND the OTel
 *    record's context (the SDK would otherwise look it up twice more);
 * 3. the line is concatenated from pre-built pieces: the per-level prefix
 *    (`","level":"INFO","logger":"x","message":`), the compiled context
 *    fragment, a cached ISO timestamp; only the message and `data` are
 *    serialised per call, strings through a no-escape fast path;
 * 4. the line is appended to a bounded in-memory buffer (never a syscall);
 * 5. OTel attributes are filled during the same walk of `data`, and only
 *    when an SDK that would receive them is registered.
 * Nothing in it throws: every step that touches user data is guarded, and
 * a failure is counted instead.
 */
import { INVALID_TRACEID, context, trace, type AttributeValue } from '@opentelemetry/api';
import { CAC_CAP_DO, LEVEL_RANK, MUC_DO_OTEL, doc_cap_do, type CapDo, type TenCapDo } from './levels.js';
import { GIA_TRI_DA_CHE } from '../core/redaction.js';
import { open_destination, release_destination, type LogDestination, type ThongKeDich } from './destination.js';
import { LoggerCounters, track_logger } from './metrics.js';
import { check_context, compile_context, current_frame, voi_context, type LoggerContext } from './context.js';
import { OtelBridge } from './otel.js';
import { resolve_logger_options, type TuyChonLogger } from './options.js';
import { iso_from_ms } from './timestamp.js';
import { BoTuanTu, quote_json } from '../core/serializer.js';
import { is_thenable } from '../core/thenable.js';
import { error_text } from '../core/error-text.js';
import { report_failure } from '../core/report.js';

/** What `thong_ke()` returns (thống kê = statistics). */
export interface ThongKeLogger {
  ten: string;
  cap_do: CapDo;
  /** The output's name: stdout, stderr, file:<path>, stream. */
  output: string;
  /** Lines accepted per level (số lượng = count). */
  so_luong: Record<CapDo, number>;
  /** All lines accepted. */
  tong: number;
  /** Lines lost per reason (bị bỏ = dropped): buffer full, OTel SDK error, logged after dong(). */
  bi_bo: { bo_dem_day: number; loi_otel: number; sau_khi_dong: number };
  tong_bi_bo: number;
  /** The logger-wide context (secret-looking values redacted). */
  context: Record<string, unknown>;
  /** Whether OTel log records are emitted. */
  otel: boolean;
  /** The output's own counters (shared by loggers writing to the same output). */
  dau_ra: ThongKeDich;
}

/** A running timing (đo thời gian) started by `do_thoi_gian(operation)`. */
export interface DoThoiGian {
  /** Ends the timing and logs `{operation, time_ms}` once; returns the ms. Later calls return the same ms. */
  ket_thuc(): number;
  [Symbol.dispose](): void;
}

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** The structured logger of the seed, on the OTel pipeline. */
export class LoggerCauTruc {
  readonly ten: string;
  private level: CapDo;
  /** Rank of `level`: a line is written when its rank is at least this. */
  private threshold: number;
  private readonly destination: LogDestination;
  private readonly serializer: BoTuanTu;
  private readonly defaultContext: Readonly<Record<string, unknown>>;
  /** The logger-wide context, compiled (replaced on change, never mutated). */
  private loggerContext: LoggerContext;
  /** Per level rank: `","level":"INFO","logger":"x","message":`. */
  private readonly levelPrefixes: readonly string[];
  private readonly counters: LoggerCounters;
  private readonly otelEnabled: boolean;
  private readonly otelBridge: OtelBridge;
  private closed = false;

  /**
   * @param name_or_options the logger name, or the options object.
   * @throws TypeError for an unknown option, a bad name, context, output or redaction list.
   * @throws RangeError for an unknown level or a non-positive limit.
   * @throws Error when the log file cannot be opened.
   */
  constructor(name_or_options?: string | TuyChonLogger) {
    const config = resolve_logger_options(name_or_options);
    this.ten = config.name;
    this.level = config.level;
    this.threshold = LEVEL_RANK[this.level];
    this.otelEnabled = config.otel;
    this.otelBridge = new OtelBridge(config.name);
    this.serializer = new BoTuanTu(config.redaction, config.limits);
    this.defaultContext = config.defaultContext;
    this.loggerContext = { compiled: compile_context(this.defaultContext, this.serializer), serializer: this.serializer };
    const nameJson = quote_json(config.name);
    this.levelPrefixes = CAC_CAP_DO.map((c) => `","level":"${c}","logger":${nameJson},"message":`);
    // Last: the only step with a side effect (opening a file).
    this.destination = open_destination(config.output, config.maxPending);
    this.counters = new LoggerCounters(config.name);
    track_logger(this, this.counters);
  }

  /** The current level. */
  get cap_do(): CapDo {
    return this.level;
  }

  /** Changes the level at run time (đặt cấp độ). @throws RangeError for an unknown level. */
  dat_cap_do(cap_do: TenCapDo): void {
    this.level = doc_cap_do(cap_do);
    this.threshold = LEVEL_RANK[this.level];
  }

  /** Whether a line of this level would be written (đang bật = enabled). */
  dang_bat(cap_do: CapDo): boolean {
    return (LEVEL_RANK[cap_do] ?? -1) >= this.threshold;
  }

  debug(msg: string, data?: Record<string, unknown>): void {
    if (this.threshold <= 0) this.write(0, msg, data, undefined, false);
  }

  info(msg: string, data?: Record<string, unknown>): void {
    if (this.threshold <= 1) this.write(1, msg, data, undefined, false);
  }

  warning(msg: string, data?: Record<string, unknown>): void {
    if (this.threshold <= 2) this.write(2, msg, data, undefined, false);
  }

  /** `exc_info`: an Error (or anything) written as `exception` {type, message, stack, cause}. */
  error(msg: string, data?: Record<string, unknown>, exc_info?: unknown): void {
    if (this.threshold <= 3) this.write(3, msg, data, exc_info, exc_info !== undefined && exc_info !== null && typeof exc_info !== 'boolean');
  }

  critical(msg: string, data?: Record<string, unknown>, exc_info?: unknown): void {
    this.write(4, msg, data, exc_info, exc_info !== undefined && exc_info !== null && typeof exc_info !== 'boolean');
  }

  /** The hot path: builds the line and the OTel record of one call at level rank `rank`; never throws. */
  private write(rank: number, msg: unknown, data: unknown, exception: unknown, hasException: boolean): void {
    if (this.closed) {
      this.counters.afterClose++;
      return;
    }
    try {
      const now = Date.now();
      const ctx = context.active();
      let traceFields = '';
      const span = trace.getSpan(ctx);
      if (span !== undefined) {
        const sc = span.spanContext();
        if (sc.traceId !== INVALID_TRACEID) traceFields = `,"trace_id":"${sc.traceId}","span_id":"${sc.spanId}"`;
      }
      const otel = this.otelEnabled ? this.otelBridge.current() : undefined;
      let attributes: Record<string, AttributeValue> | undefined;
      const frame = current_frame();
      const fields = frame === undefined ? this.loggerContext.compiled : frame.merge(this.loggerContext);
      if (otel !== undefined) {
        attributes = {};
        const pairs = fields.attributes;
        for (let i = 0; i < pairs.length; i++) {
          const p = pairs[i] as readonly [string, AttributeValue];
          attributes[p[0]] = p[1];
        }
      }
      this.serializer.bat_dau_ban_ghi();
      let message = typeof msg === 'string' ? msg : this.serializer.gia_tri(msg);
      if (message.length > this.serializer.limits.do_dai_chuoi) message = this.serializer.truncate(message);
      let line = `{"timestamp":"${iso_from_ms(now)}${this.levelPrefixes[rank] as string}${quote_json(message)}${fields.json},"data":${data === undefined ? '{}' : this.serializer.data(data, attributes)}`;
      if (hasException) line += `,"exception":${this.serializer.exception(exception, attributes)}`;
      line += `${traceFields}}\n`;
      (this.counters.lines[rank] as number)++;
      if (!this.destination.write(line)) this.counters.bufferFull++;
      if (otel !== undefined) {
        try {
          otel.emit({ timestamp: now, severityNumber: MUC_DO_OTEL[rank] as number, severityText: CAC_CAP_DO[rank] as string, body: message, attributes: attributes as Record<string, AttributeValue>, context: ctx });
        } catch (e) {
          this.counters.otelErrors++;
          report_failure('LoggerCauTruc: the OTel SDK refused a log record', e);
        }
      }
    } catch (e) {
      // Not expected (every user-data step is guarded): still write a valid line saying what happened.
      this.writeFallbackLine(rank, e);
    }
  }

  /** The line written when building a line failed. */
  private writeFallbackLine(rank: number, e: unknown): void {
    try {
      const reason = error_text(e);
      const line = `{"timestamp":"${iso_from_ms(Date.now())}${this.levelPrefixes[rank] as string}"[unserializable log call]","data":${quote_json(`[Unserializable: ${this.serializer.truncate(reason)}]`)}}\n`;
      (this.counters.lines[rank] as number)++;
      if (!this.destination.write(line)) this.counters.bufferFull++;
    } catch {
      this.counters.bufferFull++;
    }
  }

  /**
   * Times an operation (đo thời gian) and logs `{operation, time_ms}` at INFO
   * ("<operation> completed"); a failure of `fn` is logged at ERROR
   * ("<operation> failed", with the exception) and rethrown.
   * - `do_thoi_gian(op)` returns a handle: call `ket_thuc()` or use `using t = logger.do_thoi_gian(op)`.
   * - `do_thoi_gian(op, fn)` runs `fn` and returns its result (a Promise when `fn` is async).
   * @throws TypeError when `operation` is not a non-empty string or `fn` is not a function.
   */
  do_thoi_gian(operation: string): DoThoiGian;
  do_thoi_gian<T>(operation: string, fn: () => T): T;
  do_thoi_gian<T>(operation: string, fn?: () => T): DoThoiGian | T {
    if (typeof operation !== 'string' || operation === '') throw new TypeError(`do_thoi_gian: operation must be a non-empty string, got ${JSON.stringify(operation)}`);
    const start = performance.now();
    if (fn === undefined) {
      let ms: number | undefined;
      const ket_thuc = (): number => {
        if (ms === undefined) {
          ms = roundMs(performance.now() - start);
          this.info(`${operation} completed`, { operation, time_ms: ms });
        }
        return ms;
      };
      return { ket_thuc, [Symbol.dispose]: () => void ket_thuc() };
    }
    if (typeof fn !== 'function') throw new TypeError(`do_thoi_gian: fn must be a function, got ${typeof fn}`);
    const logDone = (): void => this.info(`${operation} completed`, { operation, time_ms: roundMs(performance.now() - start) });
    const logFailed = (e: unknown): void => this.error(`${operation} failed`, { operation, time_ms: roundMs(performance.now() - start) }, e);
    let result: T;
    try {
      result = fn();
    } catch (e) {
      logFailed(e);
      throw e;
    }
    if (is_thenable(result)) {
      return Promise.resolve(result).then(
        (v) => {
          logDone();
          return v;
        },
        (e: unknown) => {
          logFailed(e);
          throw e;
        },
      ) as T;
    }
    logDone();
    return result;
  }

  /**
   * Adds fields to every later line of THIS logger (thêm ngữ cảnh), from any
   * request. For per-request fields use `voi_context`.
   * @throws TypeError when `context` is not a plain object or uses a reserved key.
   */
  them_context(ctx: Record<string, unknown>): void {
    const added = check_context(ctx, 'them_context');
    const fields = Object.freeze({ ...this.loggerContext.compiled.fields, ...added });
    this.loggerContext = { compiled: compile_context(fields, this.serializer), serializer: this.serializer };
  }

  /** Removes what `them_context` added (xóa ngữ cảnh); `context_mac_dinh` stays. */
  xoa_context(): void {
    this.loggerContext = { compiled: compile_context(this.defaultContext, this.serializer), serializer: this.serializer };
  }

  /**
   * Runs `fn` with request-scoped fields seen by every logger, only inside
   * `fn` and what it awaits (the same as the module function `voi_context`).
   */
  voi_context<T>(ctx: Record<string, unknown>, fn: () => T): T {
    return voi_context(ctx, fn);
  }

  /** An HTTP request: INFO below 400, WARNING for 4xx, ERROR for 5xx; message "METHOD path status". */
  log_request(request_id: string, method: string, path: string, status: number, time_ms: number): void {
    const rank = typeof status === 'number' && status >= 500 ? 3 : typeof status === 'number' && status >= 400 ? 2 : 1;
    if (rank < this.threshold) return;
    this.write(rank, `${String(method)} ${String(path)} ${String(status)}`, { request_id, method, path, status, time_ms }, undefined, false);
  }

  /** A model prediction, at INFO: "Prediction <model_name>". */
  log_prediction(model_name: string, input_size: number, time_ms: number, confidence?: number): void {
    if (this.threshold > 1) return;
    const data: Record<string, unknown> = { model_name, input_size, time_ms };
    if (confidence !== undefined) data.confidence = confidence;
    this.write(1, `Prediction ${String(model_name)}`, data, undefined, false);
  }

  /** A model lifecycle event (loaded, warmed, unloaded, ...), at INFO: "Model event: <event>". */
  log_model_event(event: string, model_name: string, extra?: Record<string, unknown>): void {
    if (this.threshold > 1) return;
    let data: Record<string, unknown> = { event, model_name };
    if (extra !== undefined && extra !== null && typeof extra === 'object') {
      try {
        data = { ...extra, event, model_name };
      } catch {
        // A hostile `extra` (throwing getters on spread) still logs the event.
      }
    }
    this.write(1, `Model event: ${String(event)}`, data, undefined, false);
  }

  /** Counters and settings (thống kê). */
  thong_ke(): ThongKeLogger {
    const lines = this.counters.lines;
    const so_luong = { DEBUG: lines[0], INFO: lines[1], WARNING: lines[2], ERROR: lines[3], CRITICAL: lines[4] } as Record<CapDo, number>;
    const bi_bo = { bo_dem_day: this.counters.bufferFull, loi_otel: this.counters.otelErrors, sau_khi_dong: this.counters.afterClose };
    const ctx: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.loggerContext.compiled.fields)) ctx[k] = this.serializer.redaction.tien_to(k) === undefined ? GIA_TRI_DA_CHE : v;
    return {
      ten: this.ten,
      cap_do: this.level,
      output: this.destination.name,
      so_luong,
      tong: lines.reduce((a, b) => a + b, 0),
      bi_bo,
      tong_bi_bo: bi_bo.bo_dem_day + bi_bo.loi_otel + bi_bo.sau_khi_dong,
      context: ctx,
      otel: this.otelEnabled,
      dau_ra: this.destination.stats(),
    };
  }

  /** Writes out everything buffered (waits at most `timeout_ms`); true when drained. */
  flush(timeout_ms = 5000): Promise<boolean> {
    return this.destination.flush(timeout_ms);
  }

  /**
   * Closes (đóng) the logger: flushes, then releases its output (a file is
   * closed when no other logger writes to it; stdout/stderr and user streams
   * are left open). Later log calls are counted as `sau_khi_dong` and dropped.
   */
  async dong(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await release_destination(this.destination);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dong();
  }
}
