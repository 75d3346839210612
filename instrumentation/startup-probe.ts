/**
 * `/startupz`, for Kubernetes' startupProbe: 503 until every health check
 * marked for start-up (`dang_ky_check(..., khoi_dong = true)`, e.g. "models
 * warmed") has passed once, then 200 for good. Kubernetes runs no liveness or
 * readiness probe until the startup probe succeeds, so a model that takes
 * minutes to load is not killed for being slow.
 */
import type { KiemTraSucKhoe } from '../src/health/health-check.js';
import { json_answer, text_answer, type PhanHoi } from './probe-answer.js';

/** Answers /startupz. With `?verbose`, JSON lists the start-up checks still pending (`cho`: waiting for). */
export async function answer_startup(health: KiemTraSucKhoe, verbose: boolean): Promise<PhanHoi> {
  const started = await health.da_khoi_dong();
  const status = started ? 200 : 503;
  if (verbose) return json_answer(status, { started, cho: health.checks_khoi_dong_cho() });
  return text_answer(status, started ? 'ok\n' : 'starting\n');
}
