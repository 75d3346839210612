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
import { ROUTE_V2_MODEL_READY, model_from_path } from './inference-protocol.js';
import { giai_duong_dan, tra_loi, type LoaiThamDo } from './probe-endpoints.js';
import { giai_theo_doi, theo_doi_request } from './request-tracking.js';

/** What is read of a fastify request. */
interface FastifyRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly raw: IncomingMessage;
  readonly routeOptions: { readonly url?: string | undefined };
}

/** What is used of a fastify reply. */
interface FastifyReply {
  readonly raw: ServerResponse;
  code(status: number): { headers(h: Record<string, string>): unknown };
}

/** What gan_fastify needs of a fastify instance. */
interface FastifyApp {
  all(path: string, handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>): unknown;
  addHook(name: 'onRequest', hook: (req: FastifyRequest, reply: FastifyReply, done: () => void) => void): unknown;
}

function queryOf(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? '' : url.slice(i + 1);
}

/** Puts the probe routes and the request tracking hook on a fastify instance (gắn fastify). */
export function gan_fastify(app: FastifyApp, options: TuyChonHttp = {}): void {
  if (app === null || typeof app !== 'object' || typeof (app as { addHook?: unknown }).addHook !== 'function') {
    throw new TypeError('gan_fastify: expected a fastify instance');
  }
  const endpoints = giai_duong_dan(options);
  // Probe paths are never logged or measured, whatever they are called.
  const probePaths = new Set([...DUONG_DAN_BO_QUA, ...endpoints.keys()]);
  const ignore = options.bo_qua ?? (options.lam_nong === undefined ? [...probePaths] : (p: string) => probePaths.has(p) || model_from_path(p) !== undefined);
  const tracking = giai_theo_doi({ ...options, bo_qua: ignore });
  const answer = async (endpoint: LoaiThamDo, req: FastifyRequest, reply: FastifyReply, model?: string): Promise<string> => {
    const a = await tra_loi(endpoint, { method: req.method, query: queryOf(req.url), accept: req.headers.accept, model }, options);
    void reply.code(a.ma).headers(a.headers);
    return a.than;
  };
  // Every method, so that others get the same 405 + Allow as with node:http and express.
  for (const [path, endpoint] of endpoints) app.all(path, (req, reply) => answer(endpoint, req, reply));
  if (options.lam_nong !== undefined) {
    // `name`: the route parameter, decoded by fastify.
    app.all(ROUTE_V2_MODEL_READY, (req, reply) => answer('v2_model_ready', req, reply, (req as { params?: { name?: string } }).params?.name));
  }
  app.addHook('onRequest', (req, reply, done) => {
    theo_doi_request(req.raw, reply.raw, tracking, () => req.routeOptions.url);
    done();
  });
}
