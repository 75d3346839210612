/**
 * Types (kiểu) of KiemTraSucKhoe: the seed's result shape, kept key for key
 * (`python_version` became `node_version`), plus the options of the port.
 */

/** Overall state of a run: healthy, degraded (only non-critical checks not ok), unhealthy. */
export type TrangThaiSucKhoe = 'healthy' | 'degraded' | 'unhealthy';

/** State of one check: ok (truthy), fail (falsy), error (threw, rejected or timed out). */
export type TrangThaiCheck = 'ok' | 'fail' | 'error';

/** A check function (hàm check): truthy means OK; may be async. */
export type HamCheck = () => unknown;

/** The result of one check (chi tiết). */
export interface ChiTietCheck {
  trang_thai: TrangThaiCheck;
  quan_trong: boolean;
  mo_ta: string;
  /** Why it is `error` (or `fail`): the thrown message, or the timeout. */
  loi?: string;
  /** How long the check ran (ms); for a timeout, the time until the deadline. */
  thoi_gian_ms: number;
}

/** System information (hệ thống) of the seed, with `node_version` for `python_version`. */
export interface ThongTinHeThong {
  cpu_load_1m: number;
  memory_total_mb: number;
  memory_available_mb: number;
  memory_usage_pct: number;
  disk_total_gb: number;
  disk_free_gb: number;
  node_version: string;
  pid: number;
}

/** The result of `kiem_tra()` (kết quả kiểm tra). */
export interface KetQuaKiemTra {
  trang_thai: TrangThaiSucKhoe;
  chi_tiet: Record<string, ChiTietCheck>;
  he_thong: ThongTinHeThong;
  /** Wall time of the run (ms). */
  thoi_gian_ms: number;
  /** Seconds since this KiemTraSucKhoe was created. */
  uptime_s: number;
  /** Epoch ms when the run finished (extra key: tells a cached result from a fresh one). */
  timestamp: number;
  /** True once graceful shutdown began (extra key; readiness is then false). */
  dang_tat: boolean;
}

/** One history entry (mẫu lịch sử). `timestamp` is epoch milliseconds. */
export interface MauLichSu {
  trang_thai: TrangThaiSucKhoe;
  thoi_gian_ms: number;
  timestamp: number;
}

/** Options of `new KiemTraSucKhoe()`. Durations in seconds, as in the seed. */
export interface TuyChonSucKhoe {
  /** Deadline of one run, shared by all checks (s, default 5.0). */
  timeout?: number;
  /** History entries kept (default 100). */
  mau_lich_su?: number;
  /** How long a result is reused by later probes (thời gian cache, s, default 1.0; 0 = single flight only). */
  thoi_gian_cache?: number;
  /** Filesystem path whose disk is reported and checked (đường dẫn đĩa, default process.cwd()). */
  duong_dan_dia?: string;
  /** A name for this instance in metrics and spans (tên, default "default"). */
  ten?: string;
  /** live(): event-loop lag above which the process is not live (s, default 10). */
  tre_vong_lap_live?: number;
  /** live(): heap use as a fraction of the V8 heap limit above which the process is not live (default 0.98). */
  nguong_heap_live?: number;
}

/** Options of `dang_ky_checks_mac_dinh()` (default checks). */
export interface TuyChonChecksMacDinh {
  /** Disk check fails below this free fraction (default 0.05). */
  nguong_dia_trong?: number;
  /** Memory check fails above this used fraction (default 0.95). */
  nguong_bo_nho?: number;
  /** Event-loop check fails when the p99 delay since the last run exceeds this (s, default 0.5). */
  nguong_tre_vong_lap?: number;
  /** Input of the `model_inference` check (dữ liệu mẫu, default "kiểm tra"). */
  du_lieu_mau?: unknown;
}
