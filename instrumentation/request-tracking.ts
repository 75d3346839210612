/**
 * Request tracking (theo dõi request), the core of every request middleware:
 * a request id, `log_request` on the caller's logger, the route name for the
 * OTel HTTP span, and the duration metric when the instrumentation does not
 * record it.
 *
 * The span itself comes from @opentelemetry/instrumentation-http, which
 * `khoi_dong_sdk()` enables: this code runs inside that span's context, so
 * `log_request` (called in the same context) carries its trace id.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { context } from '@opentelemetry/api';
import { DUONG_DAN_BO_QUA } from '../src/core/ignored-paths.js';
import { report_failure } from '../src/core/report.js';
import { doc_ngu_canh_http, ghi_thoi_gian_http } from './http-duration.js';

/**
 * Any logger with `log_request` (LoggerCauTruc has it). Duck-typed so this
 * layer does not depend on one logger.
 */
export interface LoggerRequest {
  log_request(request_id: string, method: string, path: string, status: number, time_ms: number): void;
}

/** Options of the request middleware (tùy chọn theo dõi). */
export interface TuyChonTheoDoi {
  /** Receives one `log_request` per finished request. */
  logger?: LoggerRequest;
  /** Header carrying the request id in and out (default `x-request-id`). */
  header_request_id?: string;
  /** Makes a request id when the request has none (or an unsafe one); default randomUUID. */
  tao_request_id?: () => string;
  /** Paths not logged nor measured (default the probe and scrape paths). */
  bo_qua?: readonly string[] | ((path: string) => boolean);
  /** Record `http.server.request.duration` when the OTel instrumentation does not (default true). */
  do_thoi_gian?: boolean;
}

/** The resolved form. */
export interface TheoDoiDaGiai {
  logger: LoggerRequest | undefined;
  header: string;
  tao_id: () => string;
  bo_qua: (path: string) => boolean;
  do_thoi_gian: boolean;
}

/** An incoming request id is kept only when it is short and plain: it is logged and echoed. */
const ID_AN_TOAN = /^[A-Za-z0-9._:@/+=-]{1,128}$/;
const ids = new WeakMap<IncomingMessage, string>();

/** The request id given to this request by the middleware (lấy request id). */
export function lay_request_id(req: IncomingMessage): string | undefined {
  return ids.get(req);
}

export function giai_theo_doi(t: TuyChonTheoDoi = {}): TheoDoiDaGiai {
  if (t === null || typeof t !== 'object') throw new TypeError('request middleware options must be an object');
  if (t.logger !== undefined && (t.logger === null || typeof (t.logger as { log_request?: unknown }).log_request !== 'function')) {
    throw new TypeError('logger must have a log_request(request_id, method, path, status, time_ms) method');
  }
  const header = t.header_request_id ?? 'x-request-id';
  if (typeof header !== 'string' || !/^[A-Za-z0-9-]+$/.test(header)) throw new TypeError(`header_request_id must be a header name, got ${JSON.stringify(header)}`);
  if (t.tao_request_id !== undefined && typeof t.tao_request_id !== 'function') throw new TypeError('tao_request_id must be a function');
  let bo_qua: (path: string) => boolean;
  const b = t.bo_qua ?? DUONG_DAN_BO_QUA;
  if (typeof b === 'function') bo_qua = b;
  else if (Array.isArray(b)) {
    const s = new Set<string>(b);
    bo_qua = (p) => s.has(p);
  } else throw new TypeError('bo_qua must be an array of paths or a function');
  return {
    logger: t.logger,
    header: header.toLowerCase(),
    tao_id: t.tao_request_id ?? randomUUID,
    bo_qua,
    do_thoi_gian: t.do_thoi_gian ?? true,
  };
}

/** `scheme://authority` at the start of an absolute-form request target (RFC 9112 3.2.2). */
const DANG_TUYET_DOI = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

/**
 * The path to log (đường dẫn): never the query or the fragment (they may hold
 * secrets), and for an absolute-form target (`GET http://user:pw@host/app`,
 * which node, express and fastify all pass through as `req.url`) the path
 * alone, so userinfo never reaches a log line.
 */
function duongDan(url: string | undefined): string {
  let u = url ?? '/';
  const i = u.search(/[?#]/);
  if (i >= 0) u = u.slice(0, i);
  const m = DANG_TUYET_DOI.exec(u);
  if (m !== null) u = u.slice(m[0].length) || '/';
  return u;
}

/**
 * Starts tracking one request. Call it when the request arrives, inside its
 * context (any middleware position works). `lay_route` is read when the
 * response finishes (express and fastify know the route by then).
 * @returns the request id.
 */
export function theo_doi_request(req: IncomingMessage, res: ServerResponse, t: TheoDoiDaGiai, lay_route?: () => string | undefined): string {
  const daCo = ids.get(req);
  if (daCo !== undefined) return daCo; // tracked already (two middlewares)
  const vao = req.headers[t.header];
  const id = typeof vao === 'string' && ID_AN_TOAN.test(vao) ? vao : t.tao_id();
  ids.set(req, id);
  const path = duongDan(req.url);
  if (t.bo_qua(path)) return id;
  try {
    if (!res.headersSent) res.setHeader(t.header, id);
  } catch {
    // headers already sent by a handler before us: nothing to echo
  }
  const t0 = performance.now();
  const ctx = context.active();
  const nc = doc_ngu_canh_http();
  let xong = false;

  const route = (): string | undefined => {
    try {
      const r = lay_route?.();
      return typeof r === 'string' && r !== '' ? r : undefined;
    } catch {
      return undefined;
    }
  };
  const ket_thuc = (status: number): void => {
    if (xong) return;
    xong = true;
    const ms = performance.now() - t0;
    const r = route();
    // 'finish' comes before 'close', where the instrumentation names its span and metric.
    if (nc.rpc !== undefined && r !== undefined && nc.rpc.route === undefined) nc.rpc.route = r;
    if (t.do_thoi_gian && !nc.da_do && !nc.bo_qua) {
      ghi_thoi_gian_http(ms / 1000, {
        method: req.method,
        status,
        route: r,
        scheme: (req.socket as TLSSocket | undefined)?.encrypted === true ? 'https' : 'http',
        http_version: req.httpVersion,
      });
    }
    const lg = t.logger;
    if (lg !== undefined) {
      context.with(ctx, () => {
        try {
          lg.log_request(id, req.method ?? 'GET', path, status, Math.round(ms * 1000) / 1000);
        } catch (e) {
          // A failing logger never breaks the server.
          report_failure('logging a request', e);
        }
      });
    }
  };
  res.once('finish', () => ket_thuc(res.statusCode));
  // Closed before the response was complete: the client went away (499, as nginx logs it).
  res.once('close', () => ket_thuc(res.writableFinished ? res.statusCode : 499));
  return id;
}
