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
import { DUONG_V2_LIVE, DUONG_V2_READY, tra_loi_v2, type LoaiV2 } from './inference-protocol.js';
import { json_phan_hoi as json, text_phan_hoi as text, type PhanHoi } from './probe-answer.js';
import { tra_loi_khoi_dong } from './startup-probe.js';
import { pipeline_hoac_mac_dinh } from '../src/pipeline/embedded.js';
import { CONTENT_TYPE_PROMETHEUS } from '../exporters/prometheus/index.js';
import { CONTENT_TYPE_OPENMETRICS, muon_openmetrics } from '../exporters/prometheus/openmetrics.js';

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
export type LoaiThamDo = 'livez' | 'readyz' | 'healthz' | 'metrics' | 'startupz' | LoaiV2;

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

const MAC_DINH: Required<DuongDanThamDo> = { livez: '/livez', readyz: '/readyz', healthz: '/healthz', metrics: '/metrics', startupz: '/startupz' };

/** Resolves and checks the paths: a map from path to endpoint. */
export function giai_duong_dan(t: TuyChonThamDo): Map<string, LoaiThamDo> {
  if (t === null || typeof t !== 'object') throw new TypeError('probe options must be an object');
  const d = { ...MAC_DINH, ...(t.duong_dan ?? {}) };
  const m = new Map<string, LoaiThamDo>();
  for (const loai of ['livez', 'readyz', 'healthz', 'metrics', 'startupz'] as const) {
    const p = d[loai];
    if (p === false) continue;
    if (loai !== 'metrics' && t.suc_khoe === undefined) continue;
    if (typeof p !== 'string' || !p.startsWith('/') || /[?#\s]/.test(p)) {
      throw new TypeError(`probe path for ${loai} must start with "/" and hold no "?", "#" or spaces, got ${JSON.stringify(p)}`);
    }
    if (m.has(p)) throw new TypeError(`probe path ${p} is used twice`);
    m.set(p, loai);
  }
  if (t.lam_nong !== undefined) {
    for (const [p, loai] of [[DUONG_V2_LIVE, 'v2_live'], [DUONG_V2_READY, 'v2_ready']] as const) {
      if (m.has(p)) throw new TypeError(`probe path ${p} is the Open Inference Protocol's; use another`);
      m.set(p, loai);
    }
  }
  return m;
}

function co(query: string, khoa: string): string | undefined {
  if (query === '') return undefined;
  const q = new URLSearchParams(query);
  return q.has(khoa) ? (q.get(khoa) ?? '') : undefined;
}

/** `?verbose` or `?verbose=1|true` (not `=0|false`). */
export function la_verbose(query: string): boolean {
  const v = co(query, 'verbose');
  return v !== undefined && v !== '0' && v.toLowerCase() !== 'false';
}

/** The health+json form is wanted: by Accept or `?format=health+json` ('+' in a query decodes to a space). */
export function muon_health_json(query: string, accept: string | undefined): boolean {
  const f = co(query, 'format');
  if (f !== undefined && /^(application\/)?health[+ ]json$/i.test(f.trim())) return true;
  return accept !== undefined && /application\/health\+json/i.test(accept);
}

const TRANG_THAI_HJ: Record<TrangThaiSucKhoe, 'pass' | 'warn' | 'fail'> = { healthy: 'pass', degraded: 'warn', unhealthy: 'fail' };

function hj(status: 'pass' | 'warn' | 'fail', kq: KetQuaKiemTra | undefined, verbose: boolean, ghi_chu?: string): Record<string, unknown> {
  const o: Record<string, unknown> = { status };
  if (ghi_chu !== undefined) o.output = ghi_chu;
  if (verbose && kq !== undefined) {
    const time = new Date(kq.timestamp).toISOString();
    const checks: Record<string, unknown[]> = {};
    for (const [ten, ct] of Object.entries(kq.chi_tiet)) {
      const c: Record<string, unknown> = {
        status: ct.trang_thai === 'ok' ? 'pass' : ct.quan_trong ? 'fail' : 'warn',
        componentType: 'component',
        observedValue: ct.thoi_gian_ms,
        observedUnit: 'ms',
        time,
      };
      if (ct.mo_ta !== '') c.description = ct.mo_ta;
      if (ct.loi !== undefined) c.output = ct.loi;
      checks[`${ten}:responseTime`] = [c];
    }
    const h = kq.he_thong;
    checks['memory:utilization'] = [{ componentType: 'system', observedValue: h.memory_usage_pct, observedUnit: 'percent', status: 'pass', time }];
    checks['disk:free'] = [{ componentType: 'system', observedValue: h.disk_free_gb, observedUnit: 'GB', status: 'pass', time }];
    checks['cpu:load1m'] = [{ componentType: 'system', observedValue: h.cpu_load_1m, status: 'pass', time }];
    checks['uptime'] = [{ componentType: 'system', observedValue: kq.uptime_s, observedUnit: 's', status: 'pass', time }];
    o.checks = checks;
  }
  return o;
}

/** The seed's report without check detail and system info (shown without ?verbose). */
function gon(kq: KetQuaKiemTra, dang_tat: boolean): Record<string, unknown> {
  return { trang_thai: kq.trang_thai, thoi_gian_ms: kq.thoi_gian_ms, uptime_s: kq.uptime_s, timestamp: kq.timestamp, dang_tat };
}

/**
 * Answers one endpoint (trả lời). Never rejects: an internal failure is a 500
 * with a short message. GET and HEAD only (405 otherwise); HEAD gets the
 * headers of GET and no body (the adapter drops it).
 */
export async function tra_loi(loai: LoaiThamDo, yc: YeuCauThamDo, t: TuyChonThamDo): Promise<PhanHoi> {
  if (yc.method !== 'GET' && yc.method !== 'HEAD') {
    const r = text(405, 'method not allowed\n');
    r.headers.allow = 'GET, HEAD';
    return r;
  }
  try {
    if (loai === 'metrics') {
      const p = pipeline_hoac_mac_dinh();
      const om = muon_openmetrics(yc.accept);
      const van_ban = await p.export_prometheus({ ...(t.loc_scope === undefined ? {} : { loc_scope: t.loc_scope }), ...(om ? { openmetrics: true } : {}) });
      return text(200, van_ban, om ? CONTENT_TYPE_OPENMETRICS : CONTENT_TYPE_PROMETHEUS);
    }
    const sk = t.suc_khoe;
    if (loai === 'v2_live' || loai === 'v2_ready' || loai === 'v2_model_ready') {
      return t.lam_nong === undefined ? text(404, 'not found\n') : tra_loi_v2(loai, t.lam_nong, sk, yc.model);
    }
    if (sk === undefined) return text(404, 'not found\n');
    const verbose = la_verbose(yc.query);
    if (loai === 'startupz') return await tra_loi_khoi_dong(sk, verbose);
    const hjson = muon_health_json(yc.query, yc.accept);

    if (loai === 'livez') {
      const song = sk.live();
      const ma = song ? 200 : 503;
      if (hjson) {
        const o = hj(song ? 'pass' : 'fail', undefined, false);
        if (verbose) o.checks = { 'process:live': [{ componentType: 'system', status: song ? 'pass' : 'fail', ...sk.chi_tiet_live() }] };
        return json(ma, o, CONTENT_TYPE_HEALTH_JSON);
      }
      if (verbose) return json(ma, { live: song, ...sk.chi_tiet_live() });
      return text(ma, song ? 'ok\n' : 'not live\n');
    }

    if (loai === 'readyz') {
      // Shutting down: answer at once, without running checks.
      if (sk.dang_tat) {
        if (hjson) return json(503, hj('fail', undefined, false, 'shutting down'), CONTENT_TYPE_HEALTH_JSON);
        if (verbose) return json(503, { ready: false, dang_tat: true });
        return text(503, 'shutting down\n');
      }
      const kq = await sk.kiem_tra();
      const san_sang = kq.trang_thai !== 'unhealthy' && !sk.dang_tat;
      const ma = san_sang ? 200 : 503;
      if (hjson) return json(ma, hj(sk.dang_tat ? 'fail' : TRANG_THAI_HJ[kq.trang_thai], kq, verbose), CONTENT_TYPE_HEALTH_JSON);
      if (verbose) return json(ma, { ready: san_sang, trang_thai: kq.trang_thai, dang_tat: sk.dang_tat, chi_tiet: kq.chi_tiet });
      return text(ma, san_sang ? 'ok\n' : 'not ready\n');
    }

    // healthz
    const kq = await sk.kiem_tra();
    const ma = kq.trang_thai === 'unhealthy' ? 503 : 200;
    if (hjson) return json(ma, hj(TRANG_THAI_HJ[kq.trang_thai], kq, verbose), CONTENT_TYPE_HEALTH_JSON);
    return json(ma, verbose ? { ...kq, dang_tat: sk.dang_tat } : gon(kq, sk.dang_tat));
  } catch (e) {
    return text(500, `probe failed: ${e instanceof Error ? e.name : 'error'}\n`);
  }
}
