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
import { json_answer, type PhanHoi } from './probe-answer.js';

export const V2_LIVE_PATH = '/v2/health/live';
export const V2_READY_PATH = '/v2/health/ready';
const MODEL_PREFIX = '/v2/models/';
const READY_SUFFIX = '/ready';

/** The fastify route of the model endpoint (its parameter is `name`). */
export const ROUTE_V2_MODEL_READY = '/v2/models/:name/ready';

/**
 * The model name of a `/v2/models/{name}/ready` path, percent-decoded, or
 * undefined when the path is not one (a name holds no "/"; versioned paths
 * `/versions/{v}/ready` are not served: LamNongModel has no versions).
 * A malformed escape yields '' (answered 404), never an exception.
 */
export function model_from_path(path: string): string | undefined {
  if (!path.startsWith(MODEL_PREFIX) || !path.endsWith(READY_SUFFIX)) return undefined;
  const raw = path.slice(MODEL_PREFIX.length, path.length - READY_SUFFIX.length);
  if (raw === '' || raw.includes('/')) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return '';
  }
}

/** Which V2 endpoint. */
export type V2Endpoint = 'v2_live' | 'v2_ready' | 'v2_model_ready';

/** Answers one V2 endpoint. `model` is the decoded name for `v2_model_ready`. */
export function answer_v2(endpoint: V2Endpoint, warmup: LamNongModel, health: KiemTraSucKhoe | undefined, model: string | undefined): PhanHoi {
  if (endpoint === 'v2_live') {
    const live = health === undefined ? true : health.live();
    return json_answer(live ? 200 : 503, { live });
  }
  if (endpoint === 'v2_ready') {
    const ready = warmup.san_sang() && health?.dang_tat !== true;
    return json_answer(ready ? 200 : 503, { ready });
  }
  const name = model ?? '';
  const state = name === '' ? undefined : warmup.trang_thai_model(name);
  if (state === undefined) return json_answer(404, { error: `model ${JSON.stringify(name)} is not registered` });
  return json_answer(state.da_warmup ? 200 : 503, { name, ready: state.da_warmup });
}
