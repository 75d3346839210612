/**
 * fastify 5 adapter (an optional peer dependency: only its types are
 * imported, the instance is passed in).
 *
 * ```ts
 * const app = Fastify();
 * gan_fastify(app, { suc_khoe, logger });
 * ```
 * Probes are real fastify routes (GET and HEAD answer; other methods 405); request tracking
 * is an `onRequest` hook on the instance given (use the root instance so it
 * covers every plugin).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DUONG_DAN_BO_QUA } from '../src/sdk/khoi-dong.js';
import type { TuyChonHttp } from './node-http.js';
import { giai_duong_dan, tra_loi } from './phan-hoi-tham-do.js';
import { giai_theo_doi, theo_doi_request } from './theo-doi-request.js';

function query(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? '' : url.slice(i + 1);
}

/** Puts the probe routes and the request tracking hook on a fastify instance (gắn fastify). */
export function gan_fastify(app: FastifyInstance, t: TuyChonHttp = {}): void {
  if (app === null || typeof app !== 'object' || typeof (app as { addHook?: unknown }).addHook !== 'function') {
    throw new TypeError('gan_fastify: expected a fastify instance');
  }
  const duong = giai_duong_dan(t);
  // Probe paths are never logged or measured, whatever they are called.
  const bo_qua = t.bo_qua ?? [...new Set([...DUONG_DAN_BO_QUA, ...duong.keys()])];
  const td = giai_theo_doi({ ...t, bo_qua });
  for (const [path, loai] of duong) {
    // Every method, so that others get the same 405 + Allow as with node:http and express.
    app.all(path, async (req: FastifyRequest, reply: FastifyReply) => {
      const ph = await tra_loi(loai, { method: req.method, query: query(req.url), accept: req.headers.accept }, t);
      void reply.code(ph.ma).headers(ph.headers);
      return ph.than;
    });
  }
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    theo_doi_request(req.raw, reply.raw, td, () => req.routeOptions.url);
    done();
  });
}
