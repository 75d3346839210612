/**
 * CLIENT spans for undici and Node's global `fetch`, from undici's
 * diagnostics_channel events, with the attributes, status, propagation and
 * `http.client.request.duration` of @opentelemetry/instrumentation-undici.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import type { Instruments } from './instruments.js';
import { defaultPort } from './semconv.js';

/** The parts of undici's request object these events carry. */
interface UndiciRequest {
  origin: string;
  path: string;
  method: string;
  headers: string | unknown[];
  addHeader?: (name: string, value: string) => unknown;
}

interface Call {
  span: Span;
  attrs: Attributes;
  t0: number;
}

const METHODS = new Set(['CONNECT', 'OPTIONS', 'HEAD', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE', 'QUERY']);
const METRIC_KEYS = ['http.response.status_code', 'http.request.method', 'server.address', 'server.port', 'url.scheme', 'error.type', 'network.protocol.version'];

/** The last `user-agent` value of undici's raw headers (array of pairs, or CRLF lines). */
function userAgent(headers: UndiciRequest['headers']): string | undefined {
  let found: string | undefined;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) {
      const k = headers[i];
      if (typeof k === 'string' && k.toLowerCase() === 'user-agent') {
        const v = headers[i + 1];
        found = Array.isArray(v) ? String(v[v.length - 1]) : String(v);
      }
    }
  } else if (typeof headers === 'string') {
    for (const line of headers.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon !== -1 && line.slice(0, colon).toLowerCase() === 'user-agent') found = line.slice(colon + 1).trim();
    }
  }
  return found;
}

/** What a request's origin gives every request to it, as `new URL()` derives it. */
interface OriginParts {
  /** The serialized origin (`http://host:port`, the default port left out), `url.full`'s start. */
  readonly serialized: string;
  readonly scheme: string;
  readonly hostname: string;
  readonly port: number | undefined;
}

/** Origins seen (a client talks to few): parsed once, not on every request. Bounded. */
const origins = new Map<string, OriginParts | null>();
const MAX_ORIGINS = 256;

/** The origin parts of a parsed URL. */
function originOf(u: URL): OriginParts {
  const scheme = u.protocol.slice(0, -1);
  const port = u.port || defaultPort(scheme);
  return { serialized: u.origin, scheme, hostname: u.hostname, port: port !== undefined && port !== '' && !Number.isNaN(Number(port)) ? Number(port) : undefined };
}

function originParts(origin: string): OriginParts | undefined {
  let o = origins.get(origin);
  if (o === undefined) {
    try {
      const u = new URL(origin);
      // Only http(s): other schemes serialize origins differently (`foo:/x`).
      const plain = defaultPort(u.protocol.slice(0, -1)) !== undefined && u.pathname === '/' && u.search === '' && u.hash === '' && u.username === '' && u.password === '';
      o = plain ? originOf(u) : null;
    } catch {
      o = null;
    }
    if (origins.size < MAX_ORIGINS) origins.set(origin, o);
  }
  return o ?? undefined;
}

/**
 * A path that `new URL()` serializes as it is: it starts with one `/` (`//`
 * would name a host), has no dot segments (nor `%2e`, checked apart), no
 * character it would percent-encode or rewrite, no fragment.
 */
const PLAIN_PATH = /^(?!\/\/)(\/(?:[A-Za-z0-9_~!$&'()*+,;=:@%-][A-Za-z0-9._~!$&'()*+,;=:@%-]*)?)+(\?[A-Za-z0-9._~!$&()*+,;=:@/?%-]*)?$/;

/** `%2e` is a dot to the URL parser: `/a/%2e%2e/b` is `/b`. */
const DOT_ESCAPE = /%2e/i;

/** `url.full`, `url.path` and `url.query` of a request, as `new URL(path, origin)` gives them. */
export function requestTarget(origin: string, path: string): { origin: OriginParts; full: string; path: string; query: string } | undefined {
  const o = originParts(origin);
  if (o !== undefined && PLAIN_PATH.test(path) && !DOT_ESCAPE.test(path)) {
    const q = path.indexOf('?');
    const query = q === -1 || q === path.length - 1 ? '' : path.slice(q);
    return { origin: o, full: o.serialized + path, path: q === -1 ? path : path.slice(0, q), query };
  }
  try {
    const u = new URL(path, origin);
    return { origin: originOf(u), full: u.toString(), path: u.pathname, query: u.search };
  } catch {
    return undefined;
  }
}

export interface UndiciTracer {
  create(message: unknown): void;
  sendHeaders(message: unknown): void;
  headers(message: unknown): void;
  done(message: unknown): void;
  error(message: unknown): void;
}

export function undiciTracer(inst: Instruments): UndiciTracer {
  const calls = new WeakMap<object, Call>();
  const record = (c: Call): void => {
    const m: Attributes = {};
    for (const k of METRIC_KEYS) if (k in c.attrs) m[k] = c.attrs[k];
    inst.clientDuration.record((performance.now() - c.t0) / 1000, m);
  };
  return {
    create(message) {
      const request = (message as { request: UndiciRequest }).request;
      if (request.method === 'CONNECT') return;
      const parent = context.active();
      // Under suppressed tracing (an ignored probe, an exporter's own request) the
      // tracer returns a non-recording span and nothing is injected, but the
      // duration is still recorded, as OTel's instrumentations do.
      const target = requestTarget(request.origin, request.path);
      if (target === undefined) return;
      const upper = request.method.toUpperCase();
      const method = METHODS.has(upper) ? upper : '_OTHER';
      const attrs: Attributes = {
        'http.request.method': method,
        'http.request.method_original': request.method,
        'url.full': target.full,
        'url.path': target.path,
        'url.query': target.query,
        'url.scheme': target.origin.scheme,
        'server.address': target.origin.hostname,
      };
      if (target.origin.port !== undefined) attrs['server.port'] = target.origin.port;
      const ua = userAgent(request.headers);
      if (ua !== undefined) attrs['user_agent.original'] = ua;
      // The attributes are built either way: the duration's come from them.
      const span = inst.dropped(parent) ?? inst.tracer.startSpan(method === '_OTHER' ? 'HTTP' : method, { kind: SpanKind.CLIENT, attributes: attrs }, parent);
      const carrier: Record<string, string> = {};
      propagation.inject(trace.setSpan(parent, span), carrier);
      for (const k in carrier) {
        const v = carrier[k] as string;
        if (typeof request.addHeader === 'function') request.addHeader(k, v);
        else if (typeof request.headers === 'string') request.headers += `${k}: ${v}\r\n`;
        else request.headers.push(k, v);
      }
      calls.set(request, { span, attrs, t0: performance.now() });
    },
    sendHeaders(message) {
      const { request, socket } = message as { request: object; socket: { remoteAddress?: string; remotePort?: number; alpnProtocol?: string | false } };
      const c = calls.get(request);
      if (c === undefined) return;
      const a: Attributes = {
        'network.peer.address': socket.remoteAddress,
        'network.peer.port': socket.remotePort,
        'network.protocol.version': socket.alpnProtocol === 'h2' ? '2' : '1.1',
      };
      c.span.setAttributes(a);
      Object.assign(c.attrs, a);
    },
    headers(message) {
      const { request, response } = message as { request: object; response: { statusCode: number } };
      const c = calls.get(request);
      if (c === undefined) return;
      const status = response.statusCode;
      c.span.setAttribute('http.response.status_code', status);
      c.attrs['http.response.status_code'] = status;
      if (status >= 400) {
        c.span.setAttribute('error.type', String(status));
        c.attrs['error.type'] = String(status);
      }
      c.span.setStatus({ code: status >= 400 ? SpanStatusCode.ERROR : SpanStatusCode.UNSET });
    },
    done(message) {
      const request = (message as { request: object }).request;
      const c = calls.get(request);
      if (c === undefined) return;
      calls.delete(request);
      c.span.end();
      record(c);
    },
    error(message) {
      const { request, error } = message as { request: object; error: Error & { code?: string } };
      const c = calls.get(request);
      if (c === undefined) return;
      calls.delete(request);
      const aborted = error.name === 'AbortError' || (typeof DOMException !== 'undefined' && error instanceof DOMException && error.code === DOMException.ABORT_ERR);
      if (!aborted) {
        const type = error.code ?? error.name ?? 'Error';
        c.attrs['error.type'] = type;
        c.span.setAttribute('error.type', type);
        c.span.recordException(error);
        c.span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      }
      c.span.end();
      record(c);
    },
  };
}
