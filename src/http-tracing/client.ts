/**
 * CLIENT spans for node:http/https requests from Node's diagnostics_channel
 * (`http.client.request.created`, `http.client.response.finish`,
 * `http.client.request.error`), instead of wrapping `http.request`.
 * The W3C headers are set on the request when it is created (before its
 * headers are written). The caller's context stays on the request and the
 * response for their listeners (listener-context.ts). The span ends when the
 * response body ended, or when the request closed or failed first, as in
 * OTel's HTTP instrumentation.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import { context, diag, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type TextMapSetter } from '@opentelemetry/api';
import type { Instruments } from './instruments.js';
import { track, tracked } from './listener-context.js';
import { defaultPort, errorTypeFor, normalizeMethod, redactQuery, setSpanError, statusCodeFor } from './semconv.js';

/** One traced outgoing request. */
class ClientCall {
  private done = false;
  private readonly t0 = performance.now();
  constructor(
    private readonly inst: Instruments,
    readonly span: Span,
    readonly metricAttrs: Attributes,
  ) {}

  response(res: IncomingMessage): void {
    const status = res.statusCode;
    if (status !== undefined) this.span.setAttribute('http.response.status_code', status);
    const socket = res.socket;
    if (socket) {
      this.span.setAttributes({ 'network.peer.address': socket.remoteAddress, 'network.peer.port': socket.remotePort, 'network.protocol.version': res.httpVersion });
      if (res.httpVersion) this.metricAttrs['network.protocol.version'] = res.httpVersion;
    }
    if (status) {
      this.metricAttrs['http.response.status_code'] = status;
      const errorType = errorTypeFor(SpanKind.CLIENT, status);
      if (errorType !== undefined) this.metricAttrs['error.type'] ??= errorType;
    }
  }

  /** The response body ended (or the response failed). */
  responseEnded(res: IncomingMessage): void {
    if (this.done) return;
    if (res.aborted && !res.complete) this.span.setStatus({ code: SpanStatusCode.ERROR });
    else {
      const status = res.statusCode;
      if (statusCodeFor(SpanKind.CLIENT, status) === SpanStatusCode.ERROR) this.span.setStatus({ code: SpanStatusCode.ERROR });
      const errorType = errorTypeFor(SpanKind.CLIENT, status);
      if (errorType !== undefined) this.span.setAttribute('error.type', errorType);
    }
    this.end();
  }

  failed(error: unknown): void {
    if (this.done) return;
    if (error instanceof Error) {
      setSpanError(this.span, error);
      this.metricAttrs['error.type'] = error.name;
    }
    this.end();
  }

  /** The request closed before a response ended (or without a response). */
  closed(): void {
    if (!this.done) this.end();
  }

  private end(): void {
    this.done = true;
    this.span.end();
    this.inst.clientDuration.record((performance.now() - this.t0) / 1000, this.metricAttrs);
  }
}

const CALLS = new WeakMap<ClientRequest, ClientCall>();

const headerSetter: TextMapSetter<ClientRequest> = {
  set(req, key, value) {
    req.setHeader(key, value);
  },
};

/** The port the request goes to: from its Host header, else the scheme's default. */
function portOf(req: ClientRequest, hostHeader: string | undefined): string {
  if (hostHeader !== undefined) {
    const colon = hostHeader.lastIndexOf(':');
    if (colon !== -1 && colon > hostHeader.lastIndexOf(']')) return hostHeader.slice(colon + 1);
  }
  return defaultPort(req.protocol.slice(0, -1)) ?? '80';
}

/** `url.full` the way OTel's instrumentation builds it: signed-URL query values redacted. */
function fullUrl(req: ClientRequest, port: string): string {
  let host = req.host;
  if (!host.includes(':') && port !== '80' && port !== '443') host += `:${port}`;
  let path = req.path;
  const q = path.indexOf('?');
  if (q !== -1) {
    try {
      const u = new URL(path, 'http://localhost');
      path = `${u.pathname}?${redactQuery(u.search)}`;
    } catch {
      // unparsable path: kept as sent
    }
  }
  return `${req.protocol}//${host}${path}`;
}

/** The CLIENT span's start attributes, as OTel's instrumentation sets them. */
function startAttributes(req: ClientRequest, port: string, method: string, normalized: string): Attributes {
  const attributes: Attributes = {
    'http.request.method': normalized,
    'server.address': req.host,
    'server.port': Number(port),
    'url.full': fullUrl(req, port),
  };
  const ua = req.getHeader('user-agent');
  if (ua !== undefined) attributes['user_agent.original'] = typeof ua === 'number' ? String(ua) : ua;
  if (method !== normalized) attributes['http.request.method_original'] = method;
  return attributes;
}

let warnedHeadersSent = false;

/** The handler of `http.client.request.created`. */
export function clientRequestCreated(inst: Instruments): (message: unknown) => void {
  return (message) => {
    const req = (message as { request: ClientRequest }).request;
    const parent = context.active();
    // Under suppressed tracing (an ignored probe, an exporter's own request) the
    // tracer returns a non-recording span and nothing is injected, but the
    // duration is still recorded, as OTel's instrumentations do.
    const hostHeader = req.getHeader('host');
    const port = portOf(req, typeof hostHeader === 'string' ? hostHeader : undefined);
    const method = req.method;
    const normalized = normalizeMethod(method);
    const span = inst.dropped(parent) ?? inst.tracer.startSpan(method, { kind: SpanKind.CLIENT, attributes: startAttributes(req, port, method, normalized) }, parent);
    const metricAttrs: Attributes = { 'http.request.method': normalized, 'server.address': req.host, 'server.port': Number(port) };
    if (req.headersSent) {
      if (!warnedHeadersSent) {
        warnedHeadersSent = true;
        diag.warn('vietnamese-ai-otel: an outgoing request had written its headers (array headers) before it could carry trace context; such requests are not propagated');
      }
    } else {
      propagation.inject(trace.setSpan(parent, span), req, headerSetter);
    }
    const call = new ClientCall(inst, span, metricAttrs);
    CALLS.set(req, call);
    track(req, {
      ctx: parent,
      onEvent: (event, arg) => {
        if (event === 'error') call.failed(arg);
        else if (event === 'close') call.closed();
      },
    });
  };
}

/** The handler of `http.client.response.finish` (the response's headers arrived). */
export function clientResponseFinish(message: unknown): void {
  const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
  const call = CALLS.get(request);
  if (call === undefined) return;
  call.response(response);
  const ctx = tracked(request)?.ctx ?? context.active();
  track(response, {
    ctx,
    onEvent: (event, arg) => {
      if (event === 'end') call.responseEnded(response);
      else if (event === 'error') call.failed(arg);
    },
  });
}

/** The handler of `http.client.request.error`. */
export function clientRequestError(message: unknown): void {
  const { request, error } = message as { request: ClientRequest; error: unknown };
  CALLS.get(request)?.failed(error);
}
