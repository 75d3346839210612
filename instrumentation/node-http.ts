/**
 * node:http adapters: the probe handler and a wrapper that puts probes and
 * request tracking in front of an app's handler.
 *
 * ```ts
 * const server = createServer(boc_xu_ly_http(app, { suc_khoe, logger }));
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { model_from_path } from './inference-protocol.js';
import { giai_duong_dan, tra_loi, type LoaiThamDo, type PhanHoi, type TuyChonThamDo } from './probe-endpoints.js';
import { giai_theo_doi, theo_doi_request, type TuyChonTheoDoi } from './request-tracking.js';

/** A node:http request handler. */
export type XuLyHttp = (req: IncomingMessage, res: ServerResponse) => void;

/** Writes an answer (ghi phản hồi; HEAD: headers only). */
export function ghi_phan_hoi(res: ServerResponse, answer: PhanHoi, head: boolean): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { ...answer.headers, 'content-length': Buffer.byteLength(answer.than) };
  res.writeHead(answer.ma, headers);
  res.end(head ? undefined : answer.than);
}

/** `[path, query]` of a request target (query without `?`, may be empty). */
function splitUrl(url: string | undefined): [string, string] {
  const u = url ?? '/';
  const i = u.indexOf('?');
  return i < 0 ? [u, ''] : [u.slice(0, i), u.slice(i + 1)];
}

/**
 * Makes the probe handler (tạo xử lý thăm dò) for /livez, /readyz, /healthz,
 * /metrics, /startupz (and, with `lam_nong`, the V2 inference health paths).
 * It returns true when it took the request (and answers it), false when the
 * path is not a probe (the caller goes on).
 * @throws TypeError for bad options (bad or duplicate paths).
 */
export function tao_xu_ly_tham_do(options: TuyChonThamDo): (req: IncomingMessage, res: ServerResponse) => boolean {
  const endpoints = giai_duong_dan(options);
  return (req, res) => {
    const [path, query] = splitUrl(req.url);
    let endpoint: LoaiThamDo | undefined = endpoints.get(path);
    let model: string | undefined;
    if (endpoint === undefined && options.lam_nong !== undefined) {
      model = model_from_path(path);
      if (model !== undefined) endpoint = 'v2_model_ready';
    }
    if (endpoint === undefined) return false;
    const method = req.method ?? 'GET';
    void tra_loi(endpoint, { method, query, accept: req.headers.accept, model }, options).then((answer) => ghi_phan_hoi(res, answer, method === 'HEAD'));
    return true;
  };
}

/** Options of `boc_xu_ly_http`: probes plus request tracking. */
export type TuyChonHttp = TuyChonThamDo & TuyChonTheoDoi;

/**
 * Wraps a node:http handler (bọc xử lý): probe paths are answered first (and
 * neither logged nor measured), every other request is tracked, then handed
 * to `xu_ly`. A handler that throws synchronously gets a 500 instead of
 * crashing the process.
 */
export function boc_xu_ly_http(xu_ly: XuLyHttp, options: TuyChonHttp = {}): XuLyHttp {
  if (typeof xu_ly !== 'function') throw new TypeError('boc_xu_ly_http: xu_ly must be a request handler function');
  const probes = tao_xu_ly_tham_do(options);
  const tracking = giai_theo_doi(options);
  return (req, res) => {
    if (probes(req, res)) return;
    theo_doi_request(req, res, tracking);
    try {
      xu_ly(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end();
    }
  };
}

/** Request tracking alone for node:http (tạo theo dõi: middleware): call first in your handler. */
export function tao_theo_doi_http(options: TuyChonTheoDoi = {}): (req: IncomingMessage, res: ServerResponse) => string {
  const tracking = giai_theo_doi(options);
  return (req, res) => theo_doi_request(req, res, tracking);
}
