/**
 * The options of `LoggerCauTruc` (tùy chọn) and their checking. A bad option
 * fails at construction with a TypeError/RangeError naming it (see
 * src/core/options.ts): a logger built from a typo would otherwise drop or
 * cut lines only later, under load.
 */
import { check_options, describe_value, boolean_option, number_option, string_option } from '../core/options.js';
import { BoCheKhoa, KHOA_BI_MAT_MAC_DINH } from '../core/redaction.js';
import type { SerializerLimits } from '../core/serializer.js';
import { check_context } from './context.js';
import type { DauRa } from './destination.js';
import { doc_cap_do, type CapDo, type TenCapDo } from './levels.js';

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

/** Checked options, defaults filled in. */
export interface LoggerConfig {
  readonly name: string;
  readonly level: CapDo;
  readonly otel: boolean;
  readonly redaction: BoCheKhoa;
  readonly limits: SerializerLimits;
  /** `gioi_han_bo_dem`: most characters buffered while the output is blocked. */
  readonly maxPending: number;
  readonly defaultContext: Readonly<Record<string, unknown>>;
  /** Not checked here: opening it is the constructor's last step (the only side effect). */
  readonly output: unknown;
}

const OWNER = 'LoggerCauTruc';
const KNOWN_OPTIONS: ReadonlySet<string> = new Set(['ten', 'cap_do', 'output', 'context_mac_dinh', 'che_khoa', 'otel', 'gioi_han_bo_dem', 'do_dai_chuoi_toi_da', 'do_sau_toi_da']);
const POSITIVE_INTEGER = { integer: true, min: 1 } as const;

/** The options object of `new LoggerCauTruc(arg)`: a bare string is the name. */
function optionsOf(arg: unknown): Record<string, unknown> {
  if (typeof arg === 'string') return { ten: arg };
  if (arg !== undefined && (typeof arg !== 'object' || arg === null || Array.isArray(arg))) {
    throw new TypeError(`${OWNER}: expected a name or an options object, got ${describe_value(arg)}`);
  }
  return check_options(OWNER, arg, KNOWN_OPTIONS);
}

/** Checks the constructor's argument and fills in the defaults (`null` counts as absent for ten, cap_do, output and context_mac_dinh). */
export function resolve_logger_options(arg: string | TuyChonLogger | undefined): LoggerConfig {
  const o = optionsOf(arg);
  const name = string_option(OWNER, 'ten', o.ten ?? undefined, 'vietnamese-ai');
  const level = doc_cap_do(o.cap_do ?? 'INFO');
  const otel = boolean_option(OWNER, 'otel', o.otel, true);
  const maxString = number_option(OWNER, 'do_dai_chuoi_toi_da', o.do_dai_chuoi_toi_da, 32_768, POSITIVE_INTEGER);
  const redaction = new BoCheKhoa(o.che_khoa === undefined ? KHOA_BI_MAT_MAC_DINH : (o.che_khoa as readonly string[] | false), maxString);
  const maxDepth = number_option(OWNER, 'do_sau_toi_da', o.do_sau_toi_da, 8, POSITIVE_INTEGER);
  const maxPending = number_option(OWNER, 'gioi_han_bo_dem', o.gioi_han_bo_dem, 8 * 1024 * 1024, POSITIVE_INTEGER);
  const defaultContext = Object.freeze(o.context_mac_dinh === undefined || o.context_mac_dinh === null ? {} : check_context(o.context_mac_dinh, 'context_mac_dinh'));
  return {
    name,
    level,
    otel,
    redaction,
    limits: { do_dai_chuoi: maxString, do_sau: maxDepth, so_phan_tu: 1000 },
    maxPending,
    defaultContext,
    output: o.output ?? 'stdout',
  };
}
