/**
 * LamNongModel (model warm-up): warms models on sample data before they take
 * traffic, holds readiness until they are warm, refreshes them in the
 * background, and reports each warm-up as a span, metrics and log records.
 */
export { LamNongModel } from './warmup.js';
export { LoiKhongCoModel, LoiLamNong } from './errors.js';
export type { TuyChonLamNongModel, TuyChonDangKyModel, HamDuDoan, KetQuaLamNong, LyDoLamNong, TrangThaiModel, ThongKeLamNong } from './types.js';
