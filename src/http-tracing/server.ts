/**
 * SERVER spans for node:http/https from Node's diagnostics_channel
 * `http.server.request.start`: no patched Server.emit, no per-request
 * binding of emitters. The request's context (W3C extracted parent, the span,
 * OTel's RPC metadata where frameworks put `http.route`) is attached for the
 * rest of the request's synchronous dispatch with `context.attach`
 * (AsyncLocalStorage.enterWith underneath) and stored on the request and the
 * response for their later listeners (listener-context.ts). The span ends
 * after the response's 'close' listeners ran, as in OTel's instrumentation,
 * so a route set on 'finish' names it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { RPCType, setRPCMetadata, suppressTracing } from '@opentelemetry/core';
import type { Instruments } from './instruments.js';
import { track } from './listener-context.js';
import { errorTypeFor, normalizeMethod, redactQuery, setSpanError, statusCodeFor } from './semconv.js';
import { clientAddress, serverAddress } from './server-address.js';

export interface ServerStartMessage {
  request: IncomingMessage;
  response: ServerResponse;
  socket: Socket;
}

/** Paths whose pathname and query need no URL parsing to match what `new URL()` would give. */
const PLAIN_TARGET = /^((?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*\/?)(?:\?([^#]*))?$/;

/** `url.path` and `url.query` of a request target, as OTel's instrumentation derives them. */
function pathAndQuery(target: string, scheme: string, host: string | undefined, attrs: Attributes): void {
  let path: string | undefined;
  let query: string | undefined;
  const m = PLAIN_TARGET.exec(target);
  if (m !== null) {
    path = m[1] === '' ? '/' : m[1];
    query = m[2];
  } else {
    try {
      const u = new URL(target, `${scheme}://${host ?? 'localhost'}`);
      path = u.pathname;
      query = u.search === '' ? undefined : u.search.slice(1);
    } catch {
      return;
    }
  }
  attrs['url.path'] = path;
  if (query !== undefined && query !== '') attrs['url.query'] = redactQuery(query);
}

function startAttributes(req: IncomingMessage, scheme: string, normalized: string): Attributes {
  const headers = req.headers;
  const method = req.method;
  const server = serverAddress(headers, scheme);
  const socket = req.socket;
  const attrs: Attributes = { 'http.request.method': normalized, 'url.scheme': scheme };
  if (server !== undefined) attrs['server.address'] = server.host;
  if (socket.remoteAddress !== undefined) attrs['network.peer.address'] = socket.remoteAddress;
  if (socket.remotePort !== undefined) attrs['network.peer.port'] = socket.remotePort;
  attrs['network.protocol.version'] = req.httpVersion;
  const ua = headers['user-agent'];
  if (ua !== undefined) attrs['user_agent.original'] = ua;
  pathAndQuery(req.url ?? '/', scheme, headers.host, attrs);
  const client = clientAddress(headers, socket.remoteAddress);
  if (client !== undefined) attrs['client.address'] = client;
  if (server?.port !== undefined) attrs['server.port'] = Number(server.port);
  if (method !== normalized && method !== undefined) attrs['http.request.method_original'] = method;
  return attrs;
}

export interface ServerTracerOptions {
  /** Pathnames not traced (tracing suppressed for them, as OTel's ignoreIncomingRequestHook does). */
  ignore: (pathname: string) => boolean;
}

/** The handler of `http.server.request.start`. */
export function serverRequestStart(inst: Instruments, opts: ServerTracerOptions): (message: unknown) => void {
  return (message) => {
    const { request, response } = message as ServerStartMessage;
    const target = request.url ?? '/';
    const q = target.indexOf('?');
    if (opts.ignore(q === -1 ? target : target.slice(0, q))) {
      const ctx = suppressTracing(context.active());
      track(request, { ctx, onEvent: undefined });
      track(response, { ctx, onEvent: undefined });
      context.attach(ctx);
      return;
    }
    const scheme = (request.socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http';
    const method = normalizeMethod(request.method);
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = inst.dropped(parent) ?? inst.tracer.startSpan(request.method ?? 'GET', { kind: SpanKind.SERVER, attributes: startAttributes(request, scheme, method) }, parent);
    const rpc: { type: RPCType.HTTP; span: Span; route?: string } = { type: RPCType.HTTP, span };
    const ctx: Context = setRPCMetadata(trace.setSpan(parent, span), rpc);
    const t0 = performance.now();
    const metricAttrs: Attributes = { 'http.request.method': method, 'url.scheme': scheme };
    if (request.httpVersion) metricAttrs['network.protocol.version'] = request.httpVersion;
    let ended = false;
    const end = (): void => {
      ended = true;
      span.end();
      // In the request's context: the duration's exemplar is this SERVER span.
      inst.serverDuration.record((performance.now() - t0) / 1000, metricAttrs, ctx);
    };
    track(request, { ctx, onEvent: undefined });
    track(response, {
      ctx,
      onEvent: (event, arg) => {
        if (ended) return;
        if (event === 'error') {
          if (arg instanceof Error) {
            setSpanError(span, arg);
            metricAttrs['error.type'] = arg.name;
          }
          end();
          return;
        }
        if (event !== 'close') return;
        const status = response.statusCode;
        span.setAttribute('http.response.status_code', status);
        if (statusCodeFor(SpanKind.SERVER, status) === SpanStatusCode.ERROR) span.setStatus({ code: SpanStatusCode.ERROR });
        const errorType = errorTypeFor(SpanKind.SERVER, status);
        if (errorType !== undefined) span.setAttribute('error.type', errorType);
        const route = rpc.route;
        if (route !== undefined) {
          span.setAttribute('http.route', route);
          span.updateName(`${request.method ?? 'GET'} ${route}`);
          metricAttrs['http.route'] = route;
        }
        if (status) {
          metricAttrs['http.response.status_code'] = status;
          if (errorType !== undefined) metricAttrs['error.type'] ??= errorType;
        }
        end();
      },
    });
    context.attach(ctx);
  };
}
