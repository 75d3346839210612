/**
 * The HTTP semantic-convention pieces shared by the server, client and undici
 * tracers: method normalization, status mapping, query redaction. They follow
 * the stable conventions as @opentelemetry/instrumentation-http 0.301 applies
 * them, so a span from either instrumentation carries the same attributes.
 */
import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);

/** Known methods upper-cased, anything else `_OTHER` (bounded cardinality). */
export function normalizeMethod(method: string | undefined): string {
  if (method === undefined) return 'GET';
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : '_OTHER';
}

/** The default port of an http(s) scheme (`server.port` when the URL names none); undefined for others. */
export function defaultPort(scheme: string | undefined): string | undefined {
  return scheme === 'http' ? '80' : scheme === 'https' ? '443' : undefined;
}

/** ERROR from 400 for a client, from 500 for a server (and outside 100..599); UNSET otherwise. */
export function statusCodeFor(kind: SpanKind, status: number | undefined): SpanStatusCode {
  const upper = kind === SpanKind.CLIENT ? 400 : 500;
  return status !== undefined && status >= 100 && status < upper ? SpanStatusCode.UNSET : SpanStatusCode.ERROR;
}

/** `error.type` for an error status code, else undefined. */
export function errorTypeFor(kind: SpanKind, status: number | undefined): string | undefined {
  const lower = kind === SpanKind.CLIENT ? 400 : 500;
  return status !== undefined && status >= lower && status < 600 ? String(status) : undefined;
}

/** Marks a span failed by a thrown error, the way the OTel instrumentations do. */
export function setSpanError(span: Span, error: Error): void {
  span.setAttribute('error.type', error.name);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  span.recordException(error);
}

/** Query keys whose values OTel's HTTP instrumentation redacts by default (signed URLs). */
const REDACTED_QUERY_KEYS = ['sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature', 'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token'];

/** The query string (without `?`) re-encoded with signing keys' values replaced by `REDACTED`. */
export function redactQuery(query: string): string {
  const params = new URLSearchParams(query);
  for (const k of REDACTED_QUERY_KEYS) if (params.has(k)) params.set(k, 'REDACTED');
  return params.toString();
}

/** The request-duration histograms' bucket boundaries (s), as the semantic conventions advise. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
