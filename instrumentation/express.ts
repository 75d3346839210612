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
type RequestExpress = IncomingMessage & { route?: unknown; baseUrl?: string };

/** An express middleware, typed by node's request and response (express's extend them). */
type MiddlewareExpress = (req: RequestExpress, res: ServerResponse, next: (err?: unknown) => void) => void;

/** What gan_express needs of an express app or router. */
interface UngDungExpress {
  use(...handlers: MiddlewareExpress[]): unknown;
}

/** The matched route (`/users/:id`), known once the router has run. */
function routeExpress(req: RequestExpress): string | undefined {
  const p: unknown = (req.route as { path?: unknown } | undefined)?.path;
  return typeof p === 'string' ? `${req.baseUrl ?? ''}${p}` : undefined;
}

/** express middleware answering the probe paths (middleware thăm dò); other paths go on. */
export function middleware_tham_do_express(t: TuyChonThamDo): MiddlewareExpress {
  const xu_ly = tao_xu_ly_tham_do(t);
  return (req, res, next) => {
    if (!xu_ly(req, res)) next();
  };
}

/**
 * express request middleware (request id, `log_request` with the trace id,
 * `http.route` for the OTel span and metric, the duration metric when the
 * OTel instrumentation is off). Register it before the routes.
 */
export function middleware_express(t: TuyChonTheoDoi = {}): MiddlewareExpress {
  const td = giai_theo_doi(t);
  return (req, res, next) => {
    theo_doi_request(req, res, td, () => routeExpress(req));
    next();
  };
}

/** Puts the probes and the request middleware on an express app or router (gắn express). */
export function gan_express(app: UngDungExpress, t: TuyChonHttp = {}): void {
  const x: unknown = app;
  if (x === null || typeof x !== 'function' || typeof (x as { use?: unknown }).use !== 'function') {
    throw new TypeError('gan_express: expected an express app or router');
  }
  app.use(middleware_tham_do_express(t), middleware_express(t));
}
