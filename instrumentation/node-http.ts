/**
 * node:http adapters: the probe handler and a wrapper that puts probes and
 * request tracking in front of an app's handler.
 *
 * ```ts
 * const server = createServer(boc_xu_ly_http(app, { suc_khoe, logger }));
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ten_model_tu_duong } from './inference-protocol.js';
import { giai_duong_dan, tra_loi, type LoaiThamDo, type PhanHoi, type TuyChonThamDo } from './probe-endpoints.js';
import { giai_theo_doi, theo_doi_request, type TuyChonTheoDoi } from './request-tracking.js';

/** A node:http request handler. */
export type XuLyHttp = (req: IncomingMessage, res: ServerResponse) => void;

/** Writes an answer (HEAD: headers only). */
export function ghi_phan_hoi(res: ServerResponse, ph: PhanHoi, head: boolean): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { ...ph.headers, 'content-length': Buffer.byteLength(ph.than) };
  res.writeHead(ph.ma, headers);
  res.end(head ? undefined : ph.than);
}

function tachUrl(url: string | undefined): [string, string] {
  const u = url ?? '/';
  const i = u.indexOf('?');
  return i < 0 ? [u, ''] : [u.slice(0, i), u.slice(i + 1)];
}

/**
 * Makes the probe handler (tạo xử lý thăm dò) for /livez, /readyz, /healthz,
 * /metrics, /startupz (and, with `lam_nong`, the V2 inference health paths). It returns true when it took the request (and answers it), false
 * when the path is not a probe (the caller goes on).
 * @throws TypeError for bad options (bad or duplicate paths).
 */
export function tao_xu_ly_tham_do(t: TuyChonThamDo): (req: IncomingMessage, res: ServerResponse) => boolean {
  const duong = giai_duong_dan(t);
  return (req, res) => {
    const [path, query] = tachUrl(req.url);
    let loai: LoaiThamDo | undefined = duong.get(path);
    let model: string | undefined;
    if (loai === undefined && t.lam_nong !== undefined) {
      model = ten_model_tu_duong(path);
      if (model !== undefined) loai = 'v2_model_ready';
    }
    if (loai === undefined) return false;
    const method = req.method ?? 'GET';
    void tra_loi(loai, { method, query, accept: req.headers.accept, model }, t).then((ph) => ghi_phan_hoi(res, ph, method === 'HEAD'));
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
export function boc_xu_ly_http(xu_ly: XuLyHttp, t: TuyChonHttp = {}): XuLyHttp {
  if (typeof xu_ly !== 'function') throw new TypeError('boc_xu_ly_http: xu_ly must be a request handler function');
  const tham_do = tao_xu_ly_tham_do(t);
  const td = giai_theo_doi(t);
  return (req, res) => {
    if (tham_do(req, res)) return;
    theo_doi_request(req, res, td);
    try {
      xu_ly(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end();
    }
  };
}

/** Request tracking alone for node:http (middleware): call first in your handler. */
export function tao_theo_doi_http(t: TuyChonTheoDoi = {}): (req: IncomingMessage, res: ServerResponse) => string {
  const td = giai_theo_doi(t);
  return (req, res) => theo_doi_request(req, res, td);
}
