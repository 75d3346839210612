/**
 * `/startupz`, for Kubernetes' startupProbe: 503 until every health check
 * marked for start-up (`dang_ky_check(..., khoi_dong = true)`, e.g. "models
 * warmed") has passed once, then 200 for good. Kubernetes runs no liveness or
 * readiness probe until the startup probe succeeds, so a model that takes
 * minutes to load is not killed for being slow.
 */
import type { KiemTraSucKhoe } from '../src/health/health-check.js';
import { json_phan_hoi, text_phan_hoi, type PhanHoi } from './probe-answer.js';

/** Answers /startupz (trả lời khởi động). With `?verbose`, JSON lists the start-up checks still pending. */
export async function tra_loi_khoi_dong(sk: KiemTraSucKhoe, verbose: boolean): Promise<PhanHoi> {
  const xong = await sk.da_khoi_dong();
  const ma = xong ? 200 : 503;
  if (verbose) return json_phan_hoi(ma, { started: xong, cho: sk.checks_khoi_dong_cho() });
  return text_phan_hoi(ma, xong ? 'ok\n' : 'starting\n');
}
