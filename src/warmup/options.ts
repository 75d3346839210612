/**
 * Validation (kiểm tra) of LamNongModel's options: every bad value is a
 * TypeError or RangeError at the call that passed it, naming the key, never
 * a surprise later (a NaN period would make the refresh timer fire
 * continuously; a typo'd key would silently keep a default).
 */
import type { HamDuDoan, TuyChonDangKyModel, TuyChonLamNongModel } from './types.js';

/** Node's largest timer delay (ms); longer periods are waited in chunks. */
export const HEN_GIO_TOI_DA_MS = 2_147_483_647;

export interface CauHinhLamNong {
  tu_dong_lam_nong: boolean;
  thoi_gian_refresh: number;
  so_lan_warmup: number;
  timeout_lan_chay: number;
}

const KHOA_LAM_NONG = new Set(['tu_dong_lam_nong', 'thoi_gian_refresh', 'so_lan_warmup', 'timeout_lan_chay']);
const KHOA_DANG_KY = new Set(['du_lieu_mau', 'ham_du_doan', 'tu_dong_refresh']);

function laDoiTuong(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function khongKhoaLa(ten_ham: string, o: Record<string, unknown>, cho_phep: Set<string>): void {
  for (const k of Object.keys(o)) {
    if (!cho_phep.has(k)) throw new TypeError(`${ten_ham}: unknown option ${JSON.stringify(k)} (expected one of ${[...cho_phep].join(', ')})`);
  }
}

function moTa(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'number' || typeof x === 'boolean' || x === null || x === undefined) return String(x);
  return typeof x;
}

/** Checks and fills in the constructor options. */
export function giai_tuy_chon(t: TuyChonLamNongModel | undefined): CauHinhLamNong {
  if (t === undefined) t = {};
  if (!laDoiTuong(t)) throw new TypeError(`LamNongModel: options must be an object, got ${moTa(t)}`);
  const o = t as Record<string, unknown>;
  khongKhoaLa('LamNongModel', o, KHOA_LAM_NONG);
  const tu_dong = o.tu_dong_lam_nong ?? true;
  if (typeof tu_dong !== 'boolean') throw new TypeError(`LamNongModel: tu_dong_lam_nong must be a boolean, got ${moTa(tu_dong)}`);
  const chu_ky = o.thoi_gian_refresh ?? 3600.0;
  if (typeof chu_ky !== 'number') throw new TypeError(`LamNongModel: thoi_gian_refresh must be a number of seconds, got ${moTa(chu_ky)}`);
  if (!Number.isFinite(chu_ky) || chu_ky <= 0) throw new RangeError(`LamNongModel: thoi_gian_refresh must be a finite number of seconds > 0, got ${chu_ky}`);
  const so_lan = o.so_lan_warmup ?? 3;
  if (typeof so_lan !== 'number') throw new TypeError(`LamNongModel: so_lan_warmup must be a number, got ${moTa(so_lan)}`);
  if (!Number.isInteger(so_lan) || so_lan < 1 || so_lan > 1_000_000) throw new RangeError(`LamNongModel: so_lan_warmup must be an integer from 1 to 1000000, got ${so_lan}`);
  const han = o.timeout_lan_chay ?? 30.0;
  if (typeof han !== 'number') throw new TypeError(`LamNongModel: timeout_lan_chay must be a number of seconds, got ${moTa(han)}`);
  if (!Number.isFinite(han) || han <= 0 || han * 1000 > HEN_GIO_TOI_DA_MS) {
    throw new RangeError(`LamNongModel: timeout_lan_chay must be a number of seconds > 0 and <= ${HEN_GIO_TOI_DA_MS / 1000}, got ${han}`);
  }
  return { tu_dong_lam_nong: tu_dong, thoi_gian_refresh: chu_ky, so_lan_warmup: so_lan, timeout_lan_chay: han };
}

/** Checks a model name (tên). */
export function kiem_tra_ten(ten_ham: string, ten: unknown): asserts ten is string {
  if (typeof ten !== 'string' || ten === '') throw new TypeError(`${ten_ham}: model name must be a non-empty string, got ${moTa(ten)}`);
}

export interface CauHinhDangKy {
  co_du_lieu_mau: boolean;
  du_lieu_mau: unknown;
  ham_du_doan: HamDuDoan | undefined;
  tu_dong_refresh: boolean;
}

/** Checks `dang_ky_model`'s options. */
export function giai_tuy_chon_dang_ky(t: TuyChonDangKyModel | undefined): CauHinhDangKy {
  if (t === undefined) t = {};
  if (!laDoiTuong(t)) throw new TypeError(`dang_ky_model: options must be an object, got ${moTa(t)}`);
  const o = t as Record<string, unknown>;
  khongKhoaLa('dang_ky_model', o, KHOA_DANG_KY);
  const ham = o.ham_du_doan;
  if (ham !== undefined && typeof ham !== 'function') throw new TypeError(`dang_ky_model: ham_du_doan must be a function, got ${moTa(ham)}`);
  const refresh = o.tu_dong_refresh ?? false;
  if (typeof refresh !== 'boolean') throw new TypeError(`dang_ky_model: tu_dong_refresh must be a boolean, got ${moTa(refresh)}`);
  return {
    co_du_lieu_mau: o.du_lieu_mau !== undefined,
    du_lieu_mau: o.du_lieu_mau,
    ham_du_doan: ham as HamDuDoan | undefined,
    tu_dong_refresh: refresh,
  };
}
