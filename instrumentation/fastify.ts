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
import { DUONG_DAN_BO_QUA } from '../src/sdk/khoi-dong.js';
import type { TuyChonHttp } from './node-http.js';
import { giai_duong_dan, tra_loi } from './phan-hoi-tham-do.js';
import { giai_theo_doi, theo_doi_request } from './theo-doi-request.js';

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
  const bo_qua = t.bo_qua ?? [...new Set([...DUONG_DAN_BO_QUA, ...duong.keys()])];
  const td = giai_theo_doi({ ...t, bo_qua });
  for (const [path, loai] of duong) {
    // Every method, so that others get the same 405 + Allow as with node:http and express.
    app.all(path, async (req, reply) => {
      const ph = await tra_loi(loai, { method: req.method, query: query(req.url), accept: req.headers.accept }, t);
      void reply.code(ph.ma).headers(ph.headers);
      return ph.than;
    });
  }
  app.addHook('onRequest', (req, reply, done) => {
    theo_doi_request(req.raw, reply.raw, td, () => req.routeOptions.url);
    done();
  });
}
