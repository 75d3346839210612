/**
 * The tracer and the two request-duration histograms of the lean HTTP
 * instrumentation: one instrumentation scope for node:http and one for
 * undici, as OpenTelemetry's two instrumentations have.
 */
import { ValueType, type Context, type Histogram, type MeterProvider, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { dropped_span, type KnownDrop } from './dropped-span.js';
import { LIBRARY_VERSION as SCOPE_VERSION } from '../core/version.js';
import { DURATION_BUCKETS } from './semconv.js';

/** Instrumentation scopes of the spans and metrics (what tells them from OTel's). */
export const SCOPE_HTTP = 'vietnamese-ai-otel/http-tracing/http';
export const SCOPE_UNDICI = 'vietnamese-ai-otel/http-tracing/undici';

export interface Instruments {
  readonly tracer: Tracer;
  readonly serverDuration: Histogram;
  readonly clientDuration: Histogram;
  /**
   * The span the tracer's sampler is known to drop, made without the tracer
   * (dropped-span.ts), or undefined: then the tracer starts it. Asked before
   * building start attributes, which only the sampler and a recorded span read.
   */
  readonly dropped: (parent: Context) => Span | undefined;
}

export function createInstruments(scope: string, tracerProvider: TracerProvider, meterProvider: MeterProvider, drop?: KnownDrop): Instruments {
  const meter = meterProvider.getMeter(scope, SCOPE_VERSION);
  const histogram = (name: string, description: string): Histogram =>
    meter.createHistogram(name, { description, unit: 's', valueType: ValueType.DOUBLE, advice: { explicitBucketBoundaries: DURATION_BUCKETS } });
  return {
    tracer: tracerProvider.getTracer(scope, SCOPE_VERSION),
    serverDuration: histogram('http.server.request.duration', 'Duration of HTTP server requests.'),
    clientDuration: histogram('http.client.request.duration', 'Duration of HTTP client requests.'),
    dropped: drop === undefined ? () => undefined : (parent) => dropped_span(drop, parent),
  };
}
