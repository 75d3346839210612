/**
 * fastify 5 adapter (an optional peer dependency: nothing of fastify is
 * imported, not even its types, so a TypeScript app without fastify compiles
 * this package's declarations; the instance is passed in and is typed by the
 * little it must offer).
 *
 * ```ts
 * const app = Fastify();
 * gan_fastify(app, { suc_khoe, logger });
 * ```
 * Probes are real fastify routes (GET and HEAD answer; other methods 405); request tracking
 * is an `onRequest` hook on the instance given (use the root instance so it
 * covers every plugin).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DUONG_DAN_BO_QUA } from '../src/core/ignored-paths.js';
import type { TuyChonHttp } from './node-http.js';
import { ROUTE_V2_MODEL_READY, ten_model_tu_duong } from './inference-protocol.js';
import { giai_duong_dan, tra_loi, type LoaiThamDo } from './probe-endpoints.js';
import { giai_theo_doi, theo_doi_request } from './request-tracking.js';

/** What is read of a fastify request. */
interface RequestFastify {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly raw: IncomingMessage;
  readonly routeOptions: { readonly url?: string | undefined };
}

/** What is used of a fastify reply. */
interface ReplyFastify {
  readonly raw: ServerResponse;
  code(ma: number): { headers(h: Record<string, string>): unknown };
}

/** What gan_fastify needs of a fastify instance. */
interface UngDungFastify {
  all(path: string, handler: (req: RequestFastify, reply: ReplyFastify) => Promise<unknown>): unknown;
  addHook(name: 'onRequest', hook: (req: RequestFastify, reply: ReplyFastify, done: () => void) => void): unknown;
}

function query(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? '' : url.slice(i + 1);
}

/** Puts the probe routes and the request tracking hook on a fastify instance (gắn fastify). */
export function gan_fastify(app: UngDungFastify, t: TuyChonHttp = {}): void {
  if (app === null || typeof app !== 'object' || typeof (app as { addHook?: unknown }).addHook !== 'function') {
    throw new TypeError('gan_fastify: expected a fastify instance');
  }
  const duong = giai_duong_dan(t);
  // Probe paths are never logged or measured, whatever they are called.
  const ds_bo_qua = new Set([...DUONG_DAN_BO_QUA, ...duong.keys()]);
  const bo_qua = t.bo_qua ?? (t.lam_nong === undefined ? [...ds_bo_qua] : (p: string) => ds_bo_qua.has(p) || ten_model_tu_duong(p) !== undefined);
  const td = giai_theo_doi({ ...t, bo_qua });
  const tra = async (loai: LoaiThamDo, req: RequestFastify, reply: ReplyFastify, model?: string): Promise<string> => {
    const ph = await tra_loi(loai, { method: req.method, query: query(req.url), accept: req.headers.accept, model }, t);
    void reply.code(ph.ma).headers(ph.headers);
    return ph.than;
  };
  // Every method, so that others get the same 405 + Allow as with node:http and express.
  for (const [path, loai] of duong) app.all(path, (req, reply) => tra(loai, req, reply));
  if (t.lam_nong !== undefined) {
    // `ten`: the route parameter, decoded by fastify.
    app.all(ROUTE_V2_MODEL_READY, (req, reply) => tra('v2_model_ready', req, reply, (req as { params?: { ten?: string } }).params?.ten));
  }
  app.addHook('onRequest', (req, reply, done) => {
    theo_doi_request(req.raw, reply.raw, td, () => req.routeOptions.url);
    done();
  });
}
