/**
 * express 5 adapter (an optional peer dependency: only its types are
 * imported, the app instance is passed in).
 *
 * ```ts
 * const app = express();
 * gan_express(app, { suc_khoe, logger });   // before your routes
 * app.get('/predict', ...);
 * ```
 */
import type { Application, NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { tao_xu_ly_tham_do, type TuyChonHttp } from './node-http.js';
import type { TuyChonThamDo } from './phan-hoi-tham-do.js';
import { giai_theo_doi, theo_doi_request, type TuyChonTheoDoi } from './theo-doi-request.js';

/** The matched route (`/users/:id`), known once the router has run. */
function routeExpress(req: Request): string | undefined {
  const p: unknown = (req.route as { path?: unknown } | undefined)?.path;
  return typeof p === 'string' ? `${req.baseUrl ?? ''}${p}` : undefined;
}

/** express middleware answering the probe paths (middleware thăm dò); other paths go on. */
export function middleware_tham_do_express(t: TuyChonThamDo): RequestHandler {
  const xu_ly = tao_xu_ly_tham_do(t);
  return (req: Request, res: Response, next: NextFunction) => {
    if (!xu_ly(req, res)) next();
  };
}

/**
 * express request middleware (request id, `log_request` with the trace id,
 * `http.route` for the OTel span and metric, the duration metric when the
 * OTel instrumentation is off). Register it before the routes.
 */
export function middleware_express(t: TuyChonTheoDoi = {}): RequestHandler {
  const td = giai_theo_doi(t);
  return (req: Request, res: Response, next: NextFunction) => {
    theo_doi_request(req, res, td, () => routeExpress(req));
    next();
  };
}

/** Puts the probes and the request middleware on an express app or router (gắn express). */
export function gan_express(app: Application | Router, t: TuyChonHttp = {}): void {
  if (app === null || typeof app !== 'function' || typeof (app as { use?: unknown }).use !== 'function') {
    throw new TypeError('gan_express: expected an express app or router');
  }
  app.use(middleware_tham_do_express(t), middleware_express(t));
}
