/**
 * The options of LamNongModel and `dang_ky_model`, and their checking: a bad
 * value is a TypeError or RangeError at the call that passed it, naming the
 * key, never a surprise later (a NaN period would make the refresh timer fire
 * continuously; a typo'd key would silently keep a default).
 */
import { boolean_option, check_options, describe_value, function_option, number_option } from '../core/options.js';
import type { HamDuDoan, TuyChonDangKyModel, TuyChonLamNongModel } from './types.js';

/** Node's largest timer delay (ms); longer periods are waited in chunks. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** Checked constructor options. */
export interface WarmupConfig {
  readonly auto_warmup: boolean;
  /** Seconds between background refresh cycles. */
  readonly refresh_period_s: number;
  readonly runs_per_warmup: number;
  /** Seconds one prediction run may take. */
  readonly run_timeout_s: number;
}

/** Checked options of one registration. */
export interface RegistrationConfig {
  /** Whether sample data was given (`null` is sample data; `undefined` is none). */
  readonly has_sample: boolean;
  readonly sample: unknown;
  readonly predict: HamDuDoan | undefined;
  readonly auto_refresh: boolean;
}

const OWNER = 'LamNongModel';
const REGISTER = 'dang_ky_model';
const WARMUP_KEYS: ReadonlySet<string> = new Set(['tu_dong_lam_nong', 'thoi_gian_refresh', 'so_lan_warmup', 'timeout_lan_chay']);
const REGISTER_KEYS: ReadonlySet<string> = new Set(['du_lieu_mau', 'ham_du_doan', 'tu_dong_refresh']);
const POSITIVE_SECONDS = { unit: 'seconds', min: 0, min_exclusive: true } as const;

/** Checks the constructor options and fills in the defaults. */
export function resolve_warmup_options(options: TuyChonLamNongModel | undefined): WarmupConfig {
  const o = check_options(OWNER, options, WARMUP_KEYS);
  return {
    auto_warmup: boolean_option(OWNER, 'tu_dong_lam_nong', o.tu_dong_lam_nong, true),
    refresh_period_s: number_option(OWNER, 'thoi_gian_refresh', o.thoi_gian_refresh, 3600, POSITIVE_SECONDS),
    runs_per_warmup: number_option(OWNER, 'so_lan_warmup', o.so_lan_warmup, 3, { integer: true, min: 1, max: 1_000_000 }),
    // Bounded by the largest timer delay: a longer one would fire after 1 ms.
    run_timeout_s: number_option(OWNER, 'timeout_lan_chay', o.timeout_lan_chay, 30, { ...POSITIVE_SECONDS, max: MAX_TIMER_DELAY_MS / 1000 }),
  };
}

/** Checks `dang_ky_model`'s options and fills in the defaults. */
export function resolve_registration_options(options: TuyChonDangKyModel | undefined): RegistrationConfig {
  const o = check_options(REGISTER, options, REGISTER_KEYS);
  return {
    has_sample: o.du_lieu_mau !== undefined,
    sample: o.du_lieu_mau,
    predict: function_option<HamDuDoan>(REGISTER, 'ham_du_doan', o.ham_du_doan),
    auto_refresh: boolean_option(REGISTER, 'tu_dong_refresh', o.tu_dong_refresh, false),
  };
}

/** Checks a model name passed to `method`: a non-empty string. */
export function check_model_name(method: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') throw new TypeError(`${method}: model name must be a non-empty string, got ${describe_value(name)}`);
}
