/**
 * express 5 adapter (an optional peer dependency: nothing of express is
 * imported, not even its types, so a TypeScript app without express compiles
 * this package's declarations; the app instance is passed in and is typed by
 * the little it must offer).
 *
 * ```ts
 * const app = express();
 * gan_express(app, { suc_khoe, logger });   // before your routes
 * app.get('/predict', ...);
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tao_xu_ly_tham_do, type TuyChonHttp } from './node-http.js';
import type { TuyChonThamDo } from './probe-endpoints.js';
import { giai_theo_doi, theo_doi_request, type TuyChonTheoDoi } from './request-tracking.js';

/** An express request: node's, plus what express adds that is read here. */
type ExpressRequest = IncomingMessage & { route?: unknown; baseUrl?: string };

/** An express middleware, typed by node's request and response (express's extend them). */
type ExpressMiddleware = (req: ExpressRequest, res: ServerResponse, next: (err?: unknown) => void) => void;

/** What gan_express needs of an express app or router. */
interface ExpressApp {
  use(...handlers: ExpressMiddleware[]): unknown;
}

/** The matched route (`/users/:id`), known once the router has run. */
function expressRoute(req: ExpressRequest): string | undefined {
  const p: unknown = (req.route as { path?: unknown } | undefined)?.path;
  return typeof p === 'string' ? `${req.baseUrl ?? ''}${p}` : undefined;
}

/** express middleware answering the probe paths (middleware thăm dò); other paths go on. */
export function middleware_tham_do_express(options: TuyChonThamDo): ExpressMiddleware {
  const probes = tao_xu_ly_tham_do(options);
  return (req, res, next) => {
    if (!probes(req, res)) next();
  };
}

/**
 * express request middleware (request id, `log_request` with the trace id,
 * `http.route` for the OTel span and metric, the duration metric when the
 * OTel instrumentation is off). Register it before the routes.
 */
export function middleware_express(options: TuyChonTheoDoi = {}): ExpressMiddleware {
  const tracking = giai_theo_doi(options);
  return (req, res, next) => {
    theo_doi_request(req, res, tracking, () => expressRoute(req));
    next();
  };
}

/** Puts the probes and the request middleware on an express app or router (gắn express). */
export function gan_express(app: ExpressApp, options: TuyChonHttp = {}): void {
  const x: unknown = app;
  if (x === null || typeof x !== 'function' || typeof (x as { use?: unknown }).use !== 'function') {
    throw new TypeError('gan_express: expected an express app or router');
  }
  app.use(middleware_tham_do_express(options), middleware_express(options));
}
