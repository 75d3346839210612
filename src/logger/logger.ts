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
import { context, trace, type AttributeValue } from '@opentelemetry/api';
import { CAC_CAP_DO, HANG_CAP_DO, MUC_DO_OTEL, doc_cap_do, type CapDo, type TenCapDo } from './levels.js';
import { BoCheKhoa, GIA_TRI_DA_CHE, KHOA_BI_MAT_MAC_DINH } from '../core/redaction.js';
import { mo_dich, tra_dich, type DauRa, type DichGhi, type ThongKeDich } from './destination.js';
import { BoDem, theo_doi } from './metrics.js';
import { bien_dich, khung_hien_tai, kiem_tra_ngu_canh, voi_context, type TrangThaiNguCanh } from './context.js';
import { CauOtel } from './otel.js';
import { iso_tu_ms } from './timestamp.js';
import { BoTuanTu, chuoi_json } from '../core/serializer.js';
import { is_thenable } from '../core/thenable.js';
import { error_text } from '../core/error-text.js';
import { report_failure } from '../core/report.js';

/** Options of `new LoggerCauTruc({...})`. Every key is optional. */
export interface TuyChonLogger {
  /** Logger name (tên), written as `logger` on every line. Default "vietnamese-ai". */
  ten?: string;
  /** Lowest level written (cấp độ): DEBUG, INFO, WARNING, ERROR, CRITICAL (either case). Default "INFO". */
  cap_do?: TenCapDo;
  /** Where lines go (đầu ra): "stdout" (default), "stderr", a file path (appended, parent dirs made), or a Writable. */
  output?: DauRa;
  /** Fields on every line of this logger (ngữ cảnh mặc định = default context). */
  context_mac_dinh?: Record<string, unknown>;
  /**
   * Redaction (che khóa): key terms whose values become "[REDACTED]" in the
   * line and the OTel record, at any depth. A key matches when, in lower
   * snake_case, it equals a term or ends with `_<term>`. Default
   * KHOA_BI_MAT_MAC_DINH; `false` turns redaction off.
   */
  che_khoa?: readonly string[] | false;
  /** Also emit OTel log records (default true; they go nowhere until an SDK is started). */
  otel?: boolean;
  /** Most characters held in memory while the output is slow (giới hạn bộ đệm). Default 8 Mi. Beyond it lines are dropped and counted. */
  gioi_han_bo_dem?: number;
  /** Longest string value kept, in characters (độ dài chuỗi tối đa). Default 32768; longer ones are cut with a marker. */
  do_dai_chuoi_toi_da?: number;
  /** Deepest nesting of `data` walked (độ sâu tối đa). Default 8. */
  do_sau_toi_da?: number;
}

const KHOA_HOP_LE = new Set(['ten', 'cap_do', 'output', 'context_mac_dinh', 'che_khoa', 'otel', 'gioi_han_bo_dem', 'do_dai_chuoi_toi_da', 'do_sau_toi_da']);

function soNguyenDuong(x: unknown, ten: string, macDinh: number): number {
  if (x === undefined) return macDinh;
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 1) throw new RangeError(`${ten} must be an integer >= 1, got ${String(x)}`);
  return x;
}

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

function lamTron(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

const TRACE_ID_RONG = '00000000000000000000000000000000';

/** The structured logger of the seed, on the OTel pipeline. */
export class LoggerCauTruc {
  readonly ten: string;
  private capDo: CapDo;
  private nguong: number;
  private readonly dich: DichGhi;
  private readonly tuanTu: BoTuanTu;
  private readonly macDinh: Readonly<Record<string, unknown>>;
  private ctx: TrangThaiNguCanh;
  private readonly tienTo: readonly string[];
  private readonly dem: BoDem;
  private readonly otelBat: boolean;
  private readonly cauOtel: CauOtel;
  private daDong = false;

  /**
   * @param ten_hoac_tuy_chon the logger name, or the options object.
   * @throws TypeError for an unknown option, a bad name, context, output or redaction list.
   * @throws RangeError for an unknown level or a non-positive limit.
   * @throws Error when the log file cannot be opened.
   */
  constructor(ten_hoac_tuy_chon?: string | TuyChonLogger) {
    let o: TuyChonLogger;
    if (ten_hoac_tuy_chon === undefined) o = {};
    else if (typeof ten_hoac_tuy_chon === 'string') o = { ten: ten_hoac_tuy_chon };
    else if (typeof ten_hoac_tuy_chon === 'object' && ten_hoac_tuy_chon !== null && !Array.isArray(ten_hoac_tuy_chon)) o = ten_hoac_tuy_chon;
    else throw new TypeError(`LoggerCauTruc: expected a name or an options object, got ${ten_hoac_tuy_chon === null ? 'null' : typeof ten_hoac_tuy_chon}`);
    for (const k of Object.keys(o)) {
      if (!KHOA_HOP_LE.has(k)) throw new TypeError(`LoggerCauTruc: unknown option ${JSON.stringify(k)} (known: ${[...KHOA_HOP_LE].join(', ')})`);
    }
    const ten = o.ten ?? 'vietnamese-ai';
    if (typeof ten !== 'string' || ten.trim() === '') throw new TypeError(`LoggerCauTruc: ten must be a non-empty string, got ${JSON.stringify(ten)}`);
    this.ten = ten;
    this.capDo = doc_cap_do(o.cap_do ?? 'INFO');
    this.nguong = HANG_CAP_DO[this.capDo];
    if (o.otel !== undefined && typeof o.otel !== 'boolean') throw new TypeError(`LoggerCauTruc: otel must be a boolean, got ${typeof o.otel}`);
    this.otelBat = o.otel ?? true;
    this.cauOtel = new CauOtel(ten);
    const do_dai_chuoi = soNguyenDuong(o.do_dai_chuoi_toi_da, 'do_dai_chuoi_toi_da', 32_768);
    const che = new BoCheKhoa(o.che_khoa === undefined ? KHOA_BI_MAT_MAC_DINH : o.che_khoa, do_dai_chuoi);
    this.tuanTu = new BoTuanTu(che, {
      do_dai_chuoi,
      do_sau: soNguyenDuong(o.do_sau_toi_da, 'do_sau_toi_da', 8),
      so_phan_tu: 1000,
    });
    const gioiHan = soNguyenDuong(o.gioi_han_bo_dem, 'gioi_han_bo_dem', 8 * 1024 * 1024);
    this.macDinh = Object.freeze(o.context_mac_dinh === undefined || o.context_mac_dinh === null ? {} : kiem_tra_ngu_canh(o.context_mac_dinh, 'context_mac_dinh'));
    this.ctx = { bien: bien_dich(this.macDinh, this.tuanTu), tuan_tu: this.tuanTu };
    const tenJson = chuoi_json(ten);
    this.tienTo = CAC_CAP_DO.map((c) => `","level":"${c}","logger":${tenJson},"message":`);
    // Last: the only step with a side effect (opening a file).
    this.dich = mo_dich(o.output ?? 'stdout', gioiHan);
    this.dem = new BoDem(ten);
    theo_doi(this, this.dem);
  }

  /** The current level. */
  get cap_do(): CapDo {
    return this.capDo;
  }

  /** Changes the level at run time (đặt cấp độ). @throws RangeError for an unknown level. */
  dat_cap_do(cap_do: TenCapDo): void {
    this.capDo = doc_cap_do(cap_do);
    this.nguong = HANG_CAP_DO[this.capDo];
  }

  /** Whether a line of this level would be written (đang bật = enabled). */
  dang_bat(cap_do: CapDo): boolean {
    return (HANG_CAP_DO[cap_do] ?? -1) >= this.nguong;
  }

  debug(msg: string, data?: Record<string, unknown>): void {
    if (this.nguong <= 0) this.ghi(0, msg, data, undefined, false);
  }

  info(msg: string, data?: Record<string, unknown>): void {
    if (this.nguong <= 1) this.ghi(1, msg, data, undefined, false);
  }

  warning(msg: string, data?: Record<string, unknown>): void {
    if (this.nguong <= 2) this.ghi(2, msg, data, undefined, false);
  }

  /** `exc_info`: an Error (or anything) written as `exception` {type, message, stack, cause}. */
  error(msg: string, data?: Record<string, unknown>, exc_info?: unknown): void {
    if (this.nguong <= 3) this.ghi(3, msg, data, exc_info, exc_info !== undefined && exc_info !== null && typeof exc_info !== 'boolean');
  }

  critical(msg: string, data?: Record<string, unknown>, exc_info?: unknown): void {
    this.ghi(4, msg, data, exc_info, exc_info !== undefined && exc_info !== null && typeof exc_info !== 'boolean');
  }

  private ghi(hang: number, msg: unknown, data: unknown, exc: unknown, coExc: boolean): void {
    if (this.daDong) {
      this.dem.sau_khi_dong++;
      return;
    }
    try {
      const now = Date.now();
      const ctx = context.active();
      let vet = '';
      const span = trace.getSpan(ctx);
      if (span !== undefined) {
        const sc = span.spanContext();
        if (sc.traceId !== TRACE_ID_RONG) vet = `,"trace_id":"${sc.traceId}","span_id":"${sc.spanId}"`;
      }
      const otel = this.otelBat ? this.cauOtel.lay() : undefined;
      let tt: Record<string, AttributeValue> | undefined;
      const khung = khung_hien_tai();
      const nc = khung === undefined ? this.ctx.bien : khung.ghep(this.ctx);
      if (otel !== undefined) {
        tt = {};
        const ds = nc.thuoc_tinh;
        for (let i = 0; i < ds.length; i++) {
          const p = ds[i] as readonly [string, AttributeValue];
          tt[p[0]] = p[1];
        }
      }
      this.tuanTu.bat_dau_ban_ghi();
      let m = typeof msg === 'string' ? msg : this.tuanTu.gia_tri(msg);
      if (m.length > this.tuanTu.gioi_han.do_dai_chuoi) m = this.tuanTu.cat(m);
      let dong = `{"timestamp":"${iso_tu_ms(now)}${this.tienTo[hang] as string}${chuoi_json(m)}${nc.json},"data":${data === undefined ? '{}' : this.tuanTu.du_lieu(data, tt)}`;
      if (coExc) dong += `,"exception":${this.tuanTu.ngoai_le(exc, tt)}`;
      dong += `${vet}}\n`;
      (this.dem.so[hang] as number)++;
      if (!this.dich.ghi(dong)) this.dem.bo_dem_day++;
      if (otel !== undefined) {
        try {
          otel.emit({ timestamp: now, severityNumber: MUC_DO_OTEL[hang] as number, severityText: CAC_CAP_DO[hang] as string, body: m, attributes: tt as Record<string, AttributeValue>, context: ctx });
        } catch (e) {
          this.dem.loi_otel++;
          report_failure('LoggerCauTruc: the OTel SDK refused a log record', e);
        }
      }
    } catch (e) {
      // Not expected (every user-data step is guarded): still write a valid line saying what happened.
      this.dongDuPhong(hang, e);
    }
  }

  /** The fallback line (dòng dự phòng) when building a line failed. */
  private dongDuPhong(hang: number, e: unknown): void {
    try {
      const ly_do = error_text(e);
      const dong = `{"timestamp":"${iso_tu_ms(Date.now())}${this.tienTo[hang] as string}"[unserializable log call]","data":${chuoi_json(`[Unserializable: ${this.tuanTu.cat(ly_do)}]`)}}\n`;
      (this.dem.so[hang] as number)++;
      if (!this.dich.ghi(dong)) this.dem.bo_dem_day++;
    } catch {
      this.dem.bo_dem_day++;
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
    const t0 = performance.now();
    if (fn === undefined) {
      let ms: number | undefined;
      const ket_thuc = (): number => {
        if (ms === undefined) {
          ms = lamTron(performance.now() - t0);
          this.info(`${operation} completed`, { operation, time_ms: ms });
        }
        return ms;
      };
      return { ket_thuc, [Symbol.dispose]: () => void ket_thuc() };
    }
    if (typeof fn !== 'function') throw new TypeError(`do_thoi_gian: fn must be a function, got ${typeof fn}`);
    const xong = (): void => this.info(`${operation} completed`, { operation, time_ms: lamTron(performance.now() - t0) });
    const hong = (e: unknown): void => this.error(`${operation} failed`, { operation, time_ms: lamTron(performance.now() - t0) }, e);
    let r: T;
    try {
      r = fn();
    } catch (e) {
      hong(e);
      throw e;
    }
    if (is_thenable(r)) {
      return Promise.resolve(r).then(
        (v) => {
          xong();
          return v;
        },
        (e: unknown) => {
          hong(e);
          throw e;
        },
      ) as T;
    }
    xong();
    return r;
  }

  /**
   * Adds fields to every later line of THIS logger (thêm ngữ cảnh), from any
   * request. For per-request fields use `voi_context`.
   * @throws TypeError when `context` is not a plain object or uses a reserved key.
   */
  them_context(ctx: Record<string, unknown>): void {
    const moi = kiem_tra_ngu_canh(ctx, 'them_context');
    const truong = Object.freeze({ ...this.ctx.bien.truong, ...moi });
    this.ctx = { bien: bien_dich(truong, this.tuanTu), tuan_tu: this.tuanTu };
  }

  /** Removes what `them_context` added (xóa ngữ cảnh); `context_mac_dinh` stays. */
  xoa_context(): void {
    this.ctx = { bien: bien_dich(this.macDinh, this.tuanTu), tuan_tu: this.tuanTu };
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
    const hang = typeof status === 'number' && status >= 500 ? 3 : typeof status === 'number' && status >= 400 ? 2 : 1;
    if (hang < this.nguong) return;
    this.ghi(hang, `${String(method)} ${String(path)} ${String(status)}`, { request_id, method, path, status, time_ms }, undefined, false);
  }

  /** A model prediction, at INFO: "Prediction <model_name>". */
  log_prediction(model_name: string, input_size: number, time_ms: number, confidence?: number): void {
    if (this.nguong > 1) return;
    const d: Record<string, unknown> = { model_name, input_size, time_ms };
    if (confidence !== undefined) d.confidence = confidence;
    this.ghi(1, `Prediction ${String(model_name)}`, d, undefined, false);
  }

  /** A model lifecycle event (loaded, warmed, unloaded, ...), at INFO: "Model event: <event>". */
  log_model_event(event: string, model_name: string, extra?: Record<string, unknown>): void {
    if (this.nguong > 1) return;
    let d: Record<string, unknown> = { event, model_name };
    if (extra !== undefined && extra !== null && typeof extra === 'object') {
      try {
        d = { ...extra, event, model_name };
      } catch {
        // A hostile `extra` (throwing getters on spread) still logs the event.
      }
    }
    this.ghi(1, `Model event: ${String(event)}`, d, undefined, false);
  }

  /** Counters and settings (thống kê). */
  thong_ke(): ThongKeLogger {
    const so = this.dem.so;
    const so_luong = { DEBUG: so[0], INFO: so[1], WARNING: so[2], ERROR: so[3], CRITICAL: so[4] } as Record<CapDo, number>;
    const bi_bo = { bo_dem_day: this.dem.bo_dem_day, loi_otel: this.dem.loi_otel, sau_khi_dong: this.dem.sau_khi_dong };
    const ctx: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.ctx.bien.truong)) ctx[k] = this.tuanTu.che.tien_to(k) === undefined ? GIA_TRI_DA_CHE : v;
    return {
      ten: this.ten,
      cap_do: this.capDo,
      output: this.dich.ten,
      so_luong,
      tong: so.reduce((a, b) => a + b, 0),
      bi_bo,
      tong_bi_bo: bi_bo.bo_dem_day + bi_bo.loi_otel + bi_bo.sau_khi_dong,
      context: ctx,
      otel: this.otelBat,
      dau_ra: this.dich.thong_ke(),
    };
  }

  /** Writes out everything buffered (waits at most `timeout_ms`); true when drained. */
  flush(timeout_ms = 5000): Promise<boolean> {
    return this.dich.flush(timeout_ms);
  }

  /**
   * Closes (đóng) the logger: flushes, then releases its output (a file is
   * closed when no other logger writes to it; stdout/stderr and user streams
   * are left open). Later log calls are counted as `sau_khi_dong` and dropped.
   */
  async dong(): Promise<void> {
    if (this.daDong) return;
    this.daDong = true;
    await tra_dich(this.dich);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dong();
  }
}
