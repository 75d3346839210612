/**
 * `http.server.request.duration` (s, histogram) when OTel's HTTP
 * instrumentation does not record it.
 *
 * `khoi_dong_sdk()` enables an HTTP instrumentation (its own lean one, or
 * @opentelemetry/instrumentation-http 0.301) which already records this
 * stable semantic-convention metric for every request it traces (same name,
 * unit and buckets as here). So the middleware records it
 * only for requests that instrumentation did not see: SDK not started, or
 * started with `http: false`. Requests it ignores on purpose (probe and
 * scrape paths, where tracing is suppressed) are not recorded either. One
 * request is never counted twice.
 */
import { context, type Attributes, type Histogram } from '@opentelemetry/api';
import { getRPCMetadata, isTracingSuppressed, RPCType } from '@opentelemetry/core';
import { lazy_metric_source } from '../src/core/lazy-source.js';
import { LIBRARY_VERSION } from '../src/core/version.js';
import { report_failure } from '../src/core/report.js';
import { DURATION_BUCKETS, normalizeMethod } from '../src/http-tracing/semconv.js';


let histogram: Histogram | undefined;

const registerSource = lazy_metric_source(
  'vietnamese-ai-otel/http',
  (meter) => {
    histogram = meter.createHistogram('http.server.request.duration', {
      description: 'Duration of HTTP server requests.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    return () => {
      histogram = undefined;
    };
  },
  LIBRARY_VERSION,
);

/** What the instrumentation put in the request's context, read at request start. */
export interface HttpContext {
  /** The instrumentation traces this request (and records its duration). */
  traced: boolean;
  /** Tracing is suppressed: the instrumentation ignores this path on purpose. */
  ignored: boolean;
  /** The instrumentation's per-request metadata, where `http.route` goes (it names the span and the metric). */
  rpc: { route?: string } | undefined;
}

export function read_http_context(): HttpContext {
  const ctx = context.active();
  const rpc = getRPCMetadata(ctx);
  const traced = rpc?.type === RPCType.HTTP;
  return { traced, ignored: !traced && isTracingSuppressed(ctx), rpc: traced ? rpc : undefined };
}

/** Records one request's duration (s). Never throws. */
export function record_http_duration(seconds: number, a: { method: string | undefined; status: number; route: string | undefined; scheme: string; http_version: string | undefined }): void {
  registerSource();
  const h = histogram;
  if (h === undefined) return;
  try {
    const attrs: Attributes = {
      'http.request.method': normalizeMethod(a.method),
      'url.scheme': a.scheme,
    };
    if (a.status > 0) attrs['http.response.status_code'] = a.status;
    if (a.status >= 500) attrs['error.type'] = String(a.status);
    if (a.route !== undefined) attrs['http.route'] = a.route;
    if (a.http_version !== undefined) attrs['network.protocol.version'] = a.http_version;
    h.record(seconds, attrs);
  } catch (e) {
    // Telemetry never breaks a request.
    report_failure('recording http.server.request.duration', e);
  }
}

/** Makes the fallback histogram exist on the current pipeline (khởi tạo: so /metrics shows it before the first request). */
export function khoi_tao_thoi_gian_http(): void {
  registerSource();
}
