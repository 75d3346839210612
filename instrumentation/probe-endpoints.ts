/**
 * The answers (phản hồi) of the probe and metrics endpoints, framework-free:
 * each endpoint is a function from the request's method, query and Accept
 * header to `{ ma, headers, than }`, which the node:http, express and fastify
 * adapters only write out. So all three behave the same, byte for byte.
 *
 * - `/livez`: `live()` only (never dependency checks); 200 or 503.
 * - `/readyz`: `ready()`; 503 when not ready or shutting down.
 * - `/healthz`: the report; 503 when unhealthy. Check detail (`chi_tiet`,
 *   with error messages) and system info (`he_thong`) only with `?verbose`:
 *   they can leak internals (hosts in error messages, machine sizes).
 * - `/metrics`: Prometheus text 0.0.4 from the one pipeline, or OpenMetrics
 *   1.0 with exemplars when the Accept header prefers it.
 * - `/startupz`: start-up checks passed once (see startup-probe.ts).
 * - `/v2/health/*`, `/v2/models/{name}/ready`: the Open Inference Protocol
 *   health endpoints, with a LamNongModel (see inference-protocol.ts).
 * - `application/health+json` (draft-inadarei-api-health-check): pass / warn
 *   / fail, asked for by `Accept: application/health+json` or
 *   `?format=health+json`.
 */
import type { KiemTraSucKhoe } from '../src/health/health-check.js';
import type { KetQuaKiemTra, TrangThaiSucKhoe } from '../src/health/types.js';
import type { LamNongModel } from '../src/warmup/warmup.js';
import { V2_LIVE_PATH, V2_READY_PATH, answer_v2, type V2Endpoint } from './inference-protocol.js';
import { json_answer as json, text_answer as text, type PhanHoi } from './probe-answer.js';
import { answer_startup } from './startup-probe.js';
import { options_object } from '../src/core/options.js';
import { pipeline_hoac_mac_dinh } from '../src/pipeline/embedded.js';
import { CONTENT_TYPE_PROMETHEUS } from '../exporters/prometheus/index.js';
import { CONTENT_TYPE_OPENMETRICS, wants_openmetrics } from '../exporters/prometheus/openmetrics.js';

/** Content type of the health+json form. */
export const CONTENT_TYPE_HEALTH_JSON = 'application/health+json; charset=utf-8';

export type { PhanHoi } from './probe-answer.js';

/** What an endpoint reads from a request. */
export interface YeuCauThamDo {
  method: string;
  /** The query string without `?` (may be empty). */
  query: string;
  accept: string | undefined;
  /** The model name of `/v2/models/{name}/ready`, decoded. */
  model?: string;
}

/** Which endpoint (loại). */
export type LoaiThamDo = 'livez' | 'readyz' | 'healthz' | 'metrics' | 'startupz' | V2Endpoint;

/** Paths of the endpoints (đường dẫn); `false` turns one off. */
export interface DuongDanThamDo {
  livez?: string | false;
  readyz?: string | false;
  healthz?: string | false;
  metrics?: string | false;
  startupz?: string | false;
}

/** Options shared by every probe adapter (tùy chọn thăm dò). */
export interface TuyChonThamDo {
  /** The health checks behind /livez, /readyz, /healthz. Without it only /metrics is served. */
  suc_khoe?: KiemTraSucKhoe;
  /** Paths; defaults /livez /readyz /healthz /metrics. */
  duong_dan?: DuongDanThamDo;
  /** Only these instrumentation scopes on /metrics (default: all). */
  loc_scope?: (ten_scope: string) => boolean;
  /** Models behind the Open Inference Protocol endpoints `/v2/health/{live,ready}` and `/v2/models/{name}/ready` (served only with it). */
  lam_nong?: LamNongModel;
}

const DEFAULT_PATHS: Required<DuongDanThamDo> = { livez: '/livez', readyz: '/readyz', healthz: '/healthz', metrics: '/metrics', startupz: '/startupz' };

/** Resolves and checks the paths (giải đường dẫn): a map from path to endpoint. */
export function giai_duong_dan(options: TuyChonThamDo): Map<string, LoaiThamDo> {
  options_object('probe endpoints', options);
  const paths = { ...DEFAULT_PATHS, ...(options.duong_dan ?? {}) };
  const endpoints = new Map<string, LoaiThamDo>();
  for (const endpoint of ['livez', 'readyz', 'healthz', 'metrics', 'startupz'] as const) {
    const path = paths[endpoint];
    if (path === false) continue;
    if (endpoint !== 'metrics' && options.suc_khoe === undefined) continue;
    if (typeof path !== 'string' || !path.startsWith('/') || /[?#\s]/.test(path)) {
      throw new TypeError(`probe path for ${endpoint} must start with "/" and hold no "?", "#" or spaces, got ${JSON.stringify(path)}`);
    }
    if (endpoints.has(path)) throw new TypeError(`probe path ${path} is used twice`);
    endpoints.set(path, endpoint);
  }
  if (options.lam_nong !== undefined) {
    for (const [path, endpoint] of [[V2_LIVE_PATH, 'v2_live'], [V2_READY_PATH, 'v2_ready']] as const) {
      if (endpoints.has(path)) throw new TypeError(`probe path ${path} is the Open Inference Protocol's; use another`);
      endpoints.set(path, endpoint);
    }
  }
  return endpoints;
}

/** The value of query parameter `key` ('' when it has none), or undefined when absent. */
function queryParam(query: string, key: string): string | undefined {
  if (query === '') return undefined;
  const q = new URLSearchParams(query);
  return q.has(key) ? (q.get(key) ?? '') : undefined;
}

/** `?verbose` or `?verbose=1|true` (not `=0|false`). */
export function la_verbose(query: string): boolean {
  const v = queryParam(query, 'verbose');
  return v !== undefined && v !== '0' && v.toLowerCase() !== 'false';
}

/** The health+json form is wanted (muốn health+json): by Accept or `?format=health+json` ('+' in a query decodes to a space). */
export function muon_health_json(query: string, accept: string | undefined): boolean {
  const f = queryParam(query, 'format');
  if (f !== undefined && /^(application\/)?health[+ ]json$/i.test(f.trim())) return true;
  return accept !== undefined && /application\/health\+json/i.test(accept);
}

type HealthJsonStatus = 'pass' | 'warn' | 'fail';

const HEALTH_JSON_STATUS: Record<TrangThaiSucKhoe, HealthJsonStatus> = { healthy: 'pass', degraded: 'warn', unhealthy: 'fail' };

/** A health+json body; with `verbose` and a result, its `checks` too. */
function healthJson(status: HealthJsonStatus, result: KetQuaKiemTra | undefined, verbose: boolean, output?: string): Record<string, unknown> {
  const body: Record<string, unknown> = { status };
  if (output !== undefined) body.output = output;
  if (verbose && result !== undefined) body.checks = healthJsonChecks(result);
  return body;
}

/** health+json `checks`: each check's response time, then memory, disk, CPU load and uptime. */
function healthJsonChecks(result: KetQuaKiemTra): Record<string, unknown[]> {
  const time = new Date(result.timestamp).toISOString();
  const checks: Record<string, unknown[]> = {};
  for (const [name, detail] of Object.entries(result.chi_tiet)) {
    const c: Record<string, unknown> = {
      status: detail.trang_thai === 'ok' ? 'pass' : detail.quan_trong ? 'fail' : 'warn',
      componentType: 'component',
      observedValue: detail.thoi_gian_ms,
      observedUnit: 'ms',
      time,
    };
    if (detail.mo_ta !== '') c.description = detail.mo_ta;
    if (detail.loi !== undefined) c.output = detail.loi;
    checks[`${name}:responseTime`] = [c];
  }
  const system = result.he_thong;
  checks['memory:utilization'] = [{ componentType: 'system', observedValue: system.memory_usage_pct, observedUnit: 'percent', status: 'pass', time }];
  checks['disk:free'] = [{ componentType: 'system', observedValue: system.disk_free_gb, observedUnit: 'GB', status: 'pass', time }];
  checks['cpu:load1m'] = [{ componentType: 'system', observedValue: system.cpu_load_1m, status: 'pass', time }];
  checks['uptime'] = [{ componentType: 'system', observedValue: result.uptime_s, observedUnit: 's', status: 'pass', time }];
  return checks;
}

/** The seed's report without check detail and system info (shown without ?verbose). */
function summary(result: KetQuaKiemTra, shuttingDown: boolean): Record<string, unknown> {
  return { trang_thai: result.trang_thai, thoi_gian_ms: result.thoi_gian_ms, uptime_s: result.uptime_s, timestamp: result.timestamp, dang_tat: shuttingDown };
}

/** How the body is asked for: `?verbose` (detail) and the health+json form. */
interface BodyForm {
  readonly verbose: boolean;
  readonly healthJson: boolean;
}

/**
 * Answers one endpoint (trả lời). Never rejects: an internal failure is a 500
 * with a short message. GET and HEAD only (405 otherwise); HEAD gets the
 * headers of GET and no body (the adapter drops it).
 */
export async function tra_loi(endpoint: LoaiThamDo, request: YeuCauThamDo, options: TuyChonThamDo): Promise<PhanHoi> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const r = text(405, 'method not allowed\n');
    r.headers.allow = 'GET, HEAD';
    return r;
  }
  try {
    if (endpoint === 'metrics') return await answerMetrics(request, options);
    const health = options.suc_khoe;
    if (endpoint === 'v2_live' || endpoint === 'v2_ready' || endpoint === 'v2_model_ready') {
      return options.lam_nong === undefined ? text(404, 'not found\n') : answer_v2(endpoint, options.lam_nong, health, request.model);
    }
    if (health === undefined) return text(404, 'not found\n');
    const verbose = la_verbose(request.query);
    if (endpoint === 'startupz') return await answer_startup(health, verbose);
    const form: BodyForm = { verbose, healthJson: muon_health_json(request.query, request.accept) };
    if (endpoint === 'livez') return answerLivez(health, form);
    if (endpoint === 'readyz') return await answerReadyz(health, form);
    return await answerHealthz(health, form);
  } catch (e) {
    return text(500, `probe failed: ${e instanceof Error ? e.name : 'error'}\n`);
  }
}

/** /metrics: Prometheus text from the one pipeline, OpenMetrics when the Accept header prefers it. */
async function answerMetrics(request: YeuCauThamDo, options: TuyChonThamDo): Promise<PhanHoi> {
  const openmetrics = wants_openmetrics(request.accept);
  const exposition = await pipeline_hoac_mac_dinh().export_prometheus({
    ...(options.loc_scope === undefined ? {} : { loc_scope: options.loc_scope }),
    ...(openmetrics ? { openmetrics: true } : {}),
  });
  return text(200, exposition, openmetrics ? CONTENT_TYPE_OPENMETRICS : CONTENT_TYPE_PROMETHEUS);
}

/** /livez: `live()` only, never the dependency checks. */
function answerLivez(health: KiemTraSucKhoe, form: BodyForm): PhanHoi {
  const live = health.live();
  const status = live ? 200 : 503;
  if (form.healthJson) {
    const body = healthJson(live ? 'pass' : 'fail', undefined, false);
    if (form.verbose) body.checks = { 'process:live': [{ componentType: 'system', status: live ? 'pass' : 'fail', ...health.chi_tiet_live() }] };
    return json(status, body, CONTENT_TYPE_HEALTH_JSON);
  }
  if (form.verbose) return json(status, { live, ...health.chi_tiet_live() });
  return text(status, live ? 'ok\n' : 'not live\n');
}

/** /readyz: 503 at once when shutting down (no checks run), else by the report. */
async function answerReadyz(health: KiemTraSucKhoe, form: BodyForm): Promise<PhanHoi> {
  if (health.dang_tat) {
    if (form.healthJson) return json(503, healthJson('fail', undefined, false, 'shutting down'), CONTENT_TYPE_HEALTH_JSON);
    if (form.verbose) return json(503, { ready: false, dang_tat: true });
    return text(503, 'shutting down\n');
  }
  const result = await health.kiem_tra();
  // Shutdown may have begun while the checks ran.
  const ready = result.trang_thai !== 'unhealthy' && !health.dang_tat;
  const status = ready ? 200 : 503;
  if (form.healthJson) return json(status, healthJson(health.dang_tat ? 'fail' : HEALTH_JSON_STATUS[result.trang_thai], result, form.verbose), CONTENT_TYPE_HEALTH_JSON);
  if (form.verbose) return json(status, { ready, trang_thai: result.trang_thai, dang_tat: health.dang_tat, chi_tiet: result.chi_tiet });
  return text(status, ready ? 'ok\n' : 'not ready\n');
}

/** /healthz: the report, 503 when unhealthy; detail only with `?verbose`. */
async function answerHealthz(health: KiemTraSucKhoe, form: BodyForm): Promise<PhanHoi> {
  const result = await health.kiem_tra();
  const status = result.trang_thai === 'unhealthy' ? 503 : 200;
  if (form.healthJson) return json(status, healthJson(HEALTH_JSON_STATUS[result.trang_thai], result, form.verbose), CONTENT_TYPE_HEALTH_JSON);
  return json(status, form.verbose ? { ...result, dang_tat: health.dang_tat } : summary(result, health.dang_tat));
}
