/**
 * The options of `MachCat` (tùy chọn) and their checking. Bad options fail
 * at construction with a TypeError/RangeError naming the option, because a
 * breaker built from a typo (`so_loi_toi_da: "5"`, a negative timeout) would
 * otherwise misbehave only under load, when it matters most.
 */
import { boolean_option, check_options, describe_value, function_option, number_option, string_option } from '../core/options.js';

/** Options of `new MachCat({...})`; every one optional, seed defaults. */
export interface TuyChonMachCat {
  /** Failures within the window that open the circuit (số lỗi tối đa). Integer >= 1; default 5. */
  so_loi_toi_da?: number;
  /** Seconds the circuit stays open before one trial call (timeout phục hồi). Finite, >= 0; default 30. */
  timeout_phuc_hoi?: number;
  /** The sliding window in seconds (cửa sổ thời gian). Finite, > 0; default 60. */
  cua_so_thoi_gian?: number;
  /**
   * Called with the call's arguments instead of refusing (hàm fallback). Its
   * result (or rejection, or thrown error) becomes the call's.
   */
  ham_fallback?: (...args: never[]) => unknown;
  /** The breaker's name (tên) in errors, span events, logs and metrics. Default "default". */
  ten?: string;
  /**
   * Time limit of the half-open trial in seconds (timeout thử). A trial that
   * has not settled by then counts as a failure and the circuit opens again,
   * so a hung call never leaves the breaker stuck. Finite, > 0; default
   * `timeout_phuc_hoi` (or 30 when that is 0).
   */
  timeout_thu?: number;
  /** Wrap every protected call in its own span `machcat <ten>` (tạo span). Default false. */
  tao_span?: boolean;
  /**
   * The clock (đồng hồ): monotonic milliseconds. Default `performance.now`.
   * Tests inject one to step time without sleeping. Its first reading is
   * checked at construction (a finite number, or a TypeError naming
   * `dong_ho`); later, a reading that goes backwards, is not a finite number
   * or throws counts as no time passing.
   */
  dong_ho?: () => number;
}

/** Checked options, durations in ms. */
export interface BreakerConfig {
  readonly max_failures: number;
  readonly recovery_ms: number;
  readonly window_ms: number;
  readonly trial_ms: number;
  readonly fallback: ((...args: unknown[]) => unknown) | undefined;
  readonly name: string;
  readonly span_per_call: boolean;
  readonly clock: () => number;
  /** The clock's first reading (checked: a finite number). */
  readonly first_reading: number;
}

const KNOWN: ReadonlySet<string> = new Set(['so_loi_toi_da', 'timeout_phuc_hoi', 'cua_so_thoi_gian', 'ham_fallback', 'ten', 'timeout_thu', 'tao_span', 'dong_ho']);
const OWNER = 'MachCat';
const SECONDS = { unit: 'seconds', min: 0 } as const;

const defaultClock = (): number => performance.now();

/** Checks `options` and fills in the defaults. */
export function resolve_breaker_options(options: TuyChonMachCat | undefined): BreakerConfig {
  const o = check_options(OWNER, options, KNOWN);
  const maxFailures = number_option(OWNER, 'so_loi_toi_da', o.so_loi_toi_da, 5, { integer: true, min: 1, max: 1_000_000 });
  const recovery = number_option(OWNER, 'timeout_phuc_hoi', o.timeout_phuc_hoi, 30, SECONDS);
  const windowS = number_option(OWNER, 'cua_so_thoi_gian', o.cua_so_thoi_gian, 60, { ...SECONDS, min_exclusive: true });
  const trial = number_option(OWNER, 'timeout_thu', o.timeout_thu, recovery > 0 ? recovery : 30, { ...SECONDS, min_exclusive: true });
  const clock = function_option<() => number>(OWNER, 'dong_ho', o.dong_ho) ?? defaultClock;
  return {
    max_failures: maxFailures,
    recovery_ms: recovery * 1000,
    window_ms: windowS * 1000,
    trial_ms: trial * 1000,
    fallback: function_option<(...args: unknown[]) => unknown>(OWNER, 'ham_fallback', o.ham_fallback),
    name: string_option(OWNER, 'ten', o.ten, 'default'),
    span_per_call: boolean_option(OWNER, 'tao_span', o.tao_span, false),
    clock,
    first_reading: firstReading(clock),
  };
}

/**
 * The clock's first reading, or a TypeError naming `dong_ho`: a clock that
 * returns a BigInt (`process.hrtime.bigint`), NaN or a string would
 * otherwise fail later, inside a promise callback (an unhandled rejection)
 * or silently (a breaker that never opens).
 */
function firstReading(clock: () => number): number {
  let v: unknown;
  try {
    v = clock();
  } catch (e) {
    throw new TypeError(`MachCat: dong_ho threw on its first reading: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new TypeError(`MachCat: dong_ho must return a finite number of milliseconds, got ${typeof v === 'number' ? String(v) : describe_value(v)}`);
  }
  return v;
}
