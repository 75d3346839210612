/**
 * LamNongModel (model warm-up): warms models on sample data before they take
 * traffic, holds readiness until they are warm, refreshes them in the
 * background, and reports each warm-up as a span, metrics and log records.
 */
export { LamNongModel } from './lam-nong-model.js';
export { LoiKhongCoModel, LoiLamNong } from './loi.js';
export type { TuyChonLamNongModel, TuyChonDangKyModel, HamDuDoan, KetQuaLamNong, LyDoLamNong, TrangThaiModel, ThongKeLamNong } from './kieu.js';
