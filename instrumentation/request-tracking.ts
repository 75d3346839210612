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
import { read_http_context, record_http_duration } from './http-duration.js';
import { function_option, options_object } from '../src/core/options.js';

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
const SAFE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;
const requestIds = new WeakMap<IncomingMessage, string>();
const OWNER = 'request tracking';

/** The request id given to this request by the middleware (lấy request id). */
export function lay_request_id(req: IncomingMessage): string | undefined {
  return requestIds.get(req);
}

/** Checks the options and fills in the defaults (giải: resolve). @throws TypeError naming a bad option. */
export function giai_theo_doi(options: TuyChonTheoDoi = {}): TheoDoiDaGiai {
  options_object(OWNER, options);
  const logger = options.logger;
  if (logger !== undefined && (logger === null || typeof (logger as { log_request?: unknown }).log_request !== 'function')) {
    throw new TypeError(`${OWNER}: logger must have a log_request(request_id, method, path, status, time_ms) method`);
  }
  const header = options.header_request_id ?? 'x-request-id';
  if (typeof header !== 'string' || !/^[A-Za-z0-9-]+$/.test(header)) throw new TypeError(`${OWNER}: header_request_id must be a header name, got ${JSON.stringify(header)}`);
  return {
    logger,
    header: header.toLowerCase(),
    tao_id: function_option<() => string>(OWNER, 'tao_request_id', options.tao_request_id) ?? randomUUID,
    bo_qua: ignoreRule(options.bo_qua ?? DUONG_DAN_BO_QUA),
    do_thoi_gian: options.do_thoi_gian ?? true,
  };
}

/** `bo_qua` as a predicate: a list of paths becomes a set lookup. */
function ignoreRule(ignore: unknown): (path: string) => boolean {
  if (typeof ignore === 'function') return ignore as (path: string) => boolean;
  if (Array.isArray(ignore)) {
    const paths = new Set<string>(ignore as string[]);
    return (p) => paths.has(p);
  }
  throw new TypeError(`${OWNER}: bo_qua must be an array of paths or a function`);
}

/** `scheme://authority` at the start of an absolute-form request target (RFC 9112 3.2.2). */
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

/**
 * The path to log: never the query or the fragment (they may hold
 * secrets), and for an absolute-form target (`GET http://user:pw@host/app`,
 * which node, express and fastify all pass through as `req.url`) the path
 * alone, so userinfo never reaches a log line.
 */
function loggedPath(url: string | undefined): string {
  let u = url ?? '/';
  const i = u.search(/[?#]/);
  if (i >= 0) u = u.slice(0, i);
  const m = ABSOLUTE_FORM.exec(u);
  if (m !== null) u = u.slice(m[0].length) || '/';
  return u;
}

/**
 * Starts tracking one request (theo dõi request). Call it when the request
 * arrives, inside its context (any middleware position works). `getRoute`
 * is read when the response finishes (express and fastify know the route by
 * then).
 * @returns the request id.
 */
export function theo_doi_request(req: IncomingMessage, res: ServerResponse, tracking: TheoDoiDaGiai, getRoute?: () => string | undefined): string {
  const known = requestIds.get(req);
  if (known !== undefined) return known; // tracked already (two middlewares)
  const incoming = req.headers[tracking.header];
  const id = typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : tracking.tao_id();
  requestIds.set(req, id);
  const path = loggedPath(req.url);
  if (tracking.bo_qua(path)) return id;
  try {
    if (!res.headersSent) res.setHeader(tracking.header, id);
  } catch {
    // headers already sent by a handler before us: nothing to echo
  }
  const t0 = performance.now();
  const ctx = context.active();
  const instrumentation = read_http_context();
  let finished = false;

  const readRoute = (): string | undefined => {
    try {
      const r = getRoute?.();
      return typeof r === 'string' && r !== '' ? r : undefined;
    } catch {
      return undefined;
    }
  };
  const finish = (status: number): void => {
    if (finished) return;
    finished = true;
    const ms = performance.now() - t0;
    const route = readRoute();
    // 'finish' comes before 'close', where the instrumentation names its span and metric.
    if (instrumentation.rpc !== undefined && route !== undefined && instrumentation.rpc.route === undefined) instrumentation.rpc.route = route;
    if (tracking.do_thoi_gian && !instrumentation.traced && !instrumentation.ignored) {
      record_http_duration(ms / 1000, {
        method: req.method,
        status,
        route,
        scheme: (req.socket as TLSSocket | undefined)?.encrypted === true ? 'https' : 'http',
        http_version: req.httpVersion,
      });
    }
    const logger = tracking.logger;
    if (logger !== undefined) {
      context.with(ctx, () => {
        try {
          logger.log_request(id, req.method ?? 'GET', path, status, Math.round(ms * 1000) / 1000);
        } catch (e) {
          // A failing logger never breaks the server.
          report_failure('logging a request', e);
        }
      });
    }
  };
  res.once('finish', () => finish(res.statusCode));
  // Closed before the response was complete: the client went away (499, as nginx logs it).
  res.once('close', () => finish(res.writableFinished ? res.statusCode : 499));
  return id;
}
