/**
 * The shapes LamNongModel (model warm-up) takes and returns. Keys are the
 * seed's (`ten`, `thoi_gian_ms`, `so_lan`, `trang_thai`, `loi`, ...).
 */

/** Constructor options (tùy chọn). */
export interface TuyChonLamNongModel {
  /** Warm a model on `lay_model` when it is not warmed yet (tự động làm nóng: auto warm-up). Default true. */
  tu_dong_lam_nong?: boolean;
  /** Seconds between background refresh cycles (thời gian refresh). Default 3600. */
  thoi_gian_refresh?: number;
  /** Prediction runs per warm-up (số lần warm-up). Default 3. */
  so_lan_warmup?: number;
  /**
   * Seconds one prediction run may take (timeout lần chạy: run timeout).
   * Default 30. A run not settled by then fails the warm-up (`trang_thai:
   * "loi"`, the reason in `loi`), so a predictor that never settles cannot
   * hold `lam_nong`, `lay_model`, `lam_nong_tat_ca` or readiness forever.
   */
  timeout_lan_chay?: number;
}

/** A prediction function: may be sync or async. */
export type HamDuDoan = (du_lieu_mau: unknown) => unknown;

/** Options of `dang_ky_model` (register model). */
export interface TuyChonDangKyModel {
  /** Sample input each warm-up run predicts on (dữ liệu mẫu). */
  du_lieu_mau?: unknown;
  /** Custom prediction function (hàm dự đoán), called as `ham_du_doan(du_lieu_mau)`. */
  ham_du_doan?: HamDuDoan;
  /** Refresh this model in the background cycles (tự động refresh). Default false. */
  tu_dong_refresh?: boolean;
}

/** The result of one warm-up (kết quả làm nóng): the seed's keys. */
export interface KetQuaLamNong {
  /** Model name. */
  ten: string;
  /** Wall time of the whole warm-up (ms), yields included. */
  thoi_gian_ms: number;
  /** Runs that succeeded (số lần). A failed warm-up stops at its first failing run. */
  so_lan: number;
  /** "ok" when every run succeeded, else "loi" (error). */
  trang_thai: 'ok' | 'loi';
  /** The first failure's message (lỗi), or null. */
  loi: string | null;
}

/** Why a warm-up started (lý do): recorded on its span. */
export type LyDoLamNong = 'lam_nong' | 'lam_nong_tat_ca' | 'lay_model' | 'refresh';

/** A model's state (trạng thái model), from `trang_thai_model`. */
export interface TrangThaiModel {
  ten: string;
  /** True only when the latest finished warm-up succeeded (đã warm-up). */
  da_warmup: boolean;
  /** A warm-up is running now (đang warm-up). */
  dang_warmup: boolean;
  /** Whether sample data was given. */
  co_du_lieu_mau: boolean;
  /** Whether a custom prediction function was given. */
  co_ham_du_doan: boolean;
  tu_dong_refresh: boolean;
  /** Warm-ups finished, ok or not (số lần làm nóng). */
  so_lan_lam_nong: number;
  /** Warm-ups that failed. */
  so_lan_loi: number;
  /** When the latest warm-up finished (epoch ms), or null. */
  thoi_diem_warmup_cuoi: number | null;
  /** The latest warm-up's result, or null. */
  ket_qua_cuoi: KetQuaLamNong | null;
  /** Sum of the wall time of every warm-up of this model (ms). */
  tong_thoi_gian_warmup_ms: number;
  /** When the model was registered (epoch ms). */
  thoi_diem_dang_ky: number;
}

/** `thong_ke()` (statistics): the seed's keys. */
export interface ThongKeLamNong {
  so_models: number;
  da_warmup: number;
  chua_warmup: number;
  /** Sum over registered models of all their warm-up time (ms). */
  tong_thoi_gian_warmup_ms: number;
  tu_dong_lam_nong: boolean;
  /** Whether background refresh is running. */
  auto_refresh: boolean;
}
