/**
 * The facades' own spans, span events and log records, through the OTel API
 * under this library's scope. The logger is looked up per use (records are
 * rare: warm-ups, health runs, breaker transitions); the tracer is kept while
 * the API's provider and its delegate stay the same, since the proxies point
 * elsewhere once an SDK stops and another starts. Nothing here
 * throws into user code; a failure goes to diag once per cause.
 */
import { logs, trace, type ProxyTracerProvider, type Attributes, type Histogram, type LogRecord, type Meter, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { report_failure } from './report.js';
import { LIBRARY_NAME, LIBRARY_VERSION } from './version.js';

/** The tracer last handed out, and the global provider (and its delegate) it came from. */
let cachedTracer: { provider: TracerProvider; delegate: TracerProvider | undefined; tracer: Tracer } | undefined;

/**
 * This library's tracer. Kept while the global tracer provider and its
 * delegate stay the same (a breaker with `tao_span` asks on every call, and
 * `getTracer` builds a key string and looks it up each time); a new SDK, or
 * the API's provider replaced, gives a new one.
 */
export function library_tracer(): Tracer {
  const provider = trace.getTracerProvider();
  // Duck-typed: the global proxy may come from another copy of the API.
  const getDelegate = (provider as Partial<Pick<ProxyTracerProvider, 'getDelegate'>>).getDelegate;
  const delegate = typeof getDelegate === 'function' ? getDelegate.call(provider) : undefined;
  const c = cachedTracer;
  if (c !== undefined && c.provider === provider && c.delegate === delegate) return c.tracer;
  const tracer = provider.getTracer(LIBRARY_NAME, LIBRARY_VERSION);
  cachedTracer = { provider, delegate, tracer };
  return tracer;
}

/** Adds an event to `span`; `owner` names the facade in a failure report. */
export function add_span_event(owner: string, span: Span, name: string, attributes: Attributes): void {
  try {
    span.addEvent(name, attributes);
  } catch (e) {
    report_failure(`${owner}: adding a span event`, e);
  }
}

/** Emits a log record under this library's scope; `owner` names the facade in a failure report. */
export function emit_log_record(owner: string, record: LogRecord): void {
  try {
    logs.getLogger(LIBRARY_NAME, LIBRARY_VERSION).emit(record);
  } catch (e) {
    report_failure(`${owner}: emitting a log record`, e);
  }
}

/** A histogram of durations in seconds with explicit bucket bounds (OTel's advice), for a facade's metric source. */
export function seconds_histogram(meter: Meter, name: string, description: string, buckets: number[]): Histogram {
  return meter.createHistogram(name, { description, unit: 's', advice: { explicitBucketBoundaries: buckets } });
}
