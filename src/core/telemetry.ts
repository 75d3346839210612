/**
 * The facades' own spans, span events and log records, through the OTel API
 * under this library's scope. The tracer and logger are looked up per use
 * (these are rare: warm-ups, health runs, breaker transitions): the API's
 * proxies point elsewhere once an SDK stops and another starts. Nothing here
 * throws into user code; a failure goes to diag once per cause.
 */
import { logs, trace, type Attributes, type Histogram, type LogRecord, type Meter, type Span, type Tracer } from '@opentelemetry/api';
import { report_failure } from './report.js';
import { LIBRARY_NAME, LIBRARY_VERSION } from './version.js';

/** This library's tracer. */
export function library_tracer(): Tracer {
  return trace.getTracer(LIBRARY_NAME, LIBRARY_VERSION);
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
