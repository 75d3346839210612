/**
 * The health endpoints of the Open Inference Protocol (KServe V2, Triton,
 * MLServer), answered from a LamNongModel:
 *
 * - `GET /v2/health/live`: the process can serve (`live()` of the health
 *   checks when given, else true: it answered);
 * - `GET /v2/health/ready`: every registered model is warmed, and the
 *   service is not shutting down;
 * - `GET /v2/models/{name}/ready`: 200 when that model is warmed, 503 while
 *   it is not (yet), 404 when no model has that name.
 *
 * The protocol reads the status code; the JSON bodies are KServe's
 * (`{"live": true}`, `{"ready": true}`, `{"name": ..., "ready": ...}`).
 */
import type { LamNongModel } from '../src/warmup/warmup.js';
import type { KiemTraSucKhoe } from '../src/health/health-check.js';
import { json_phan_hoi, type PhanHoi } from './probe-answer.js';

export const DUONG_V2_LIVE = '/v2/health/live';
export const DUONG_V2_READY = '/v2/health/ready';
const TIEN_TO_MODEL = '/v2/models/';
const HAU_TO_READY = '/ready';

/** The fastify route of the model endpoint (its parameter is `ten`). */
export const ROUTE_V2_MODEL_READY = '/v2/models/:ten/ready';

/**
 * The model name of a `/v2/models/{name}/ready` path, percent-decoded, or
 * undefined when the path is not one (a name holds no "/"; versioned paths
 * `/versions/{v}/ready` are not served: LamNongModel has no versions).
 * A malformed escape yields '' (answered 404), never an exception.
 */
export function ten_model_tu_duong(path: string): string | undefined {
  if (!path.startsWith(TIEN_TO_MODEL) || !path.endsWith(HAU_TO_READY)) return undefined;
  const tho = path.slice(TIEN_TO_MODEL.length, path.length - HAU_TO_READY.length);
  if (tho === '' || tho.includes('/')) return undefined;
  try {
    return decodeURIComponent(tho);
  } catch {
    return '';
  }
}

/** Which V2 endpoint (loại V2). */
export type LoaiV2 = 'v2_live' | 'v2_ready' | 'v2_model_ready';

/** Answers one V2 endpoint (trả lời V2). `model` is the decoded name for `v2_model_ready`. */
export function tra_loi_v2(loai: LoaiV2, lam_nong: LamNongModel, sk: KiemTraSucKhoe | undefined, model: string | undefined): PhanHoi {
  if (loai === 'v2_live') {
    const song = sk === undefined ? true : sk.live();
    return json_phan_hoi(song ? 200 : 503, { live: song });
  }
  if (loai === 'v2_ready') {
    const san_sang = lam_nong.san_sang() && sk?.dang_tat !== true;
    return json_phan_hoi(san_sang ? 200 : 503, { ready: san_sang });
  }
  const ten = model ?? '';
  const tt = ten === '' ? undefined : lam_nong.trang_thai_model(ten);
  if (tt === undefined) return json_phan_hoi(404, { error: `model ${JSON.stringify(ten)} is not registered` });
  return json_phan_hoi(tt.da_warmup ? 200 : 503, { name: ten, ready: tt.da_warmup });
}
