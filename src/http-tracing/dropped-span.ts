/**
 * Spans a known sampler drops, started without the Tracer. With no trace
 * exporter the SDK samples with `parentbased_always_off`: every span without
 * a sampled parent is dropped, yet it is still started so that a trace id
 * reaches the log lines and the outgoing `traceparent`. For such a span the
 * SDK's Tracer cleans the start attributes, asks the sampler, and returns a
 * non-recording span. An instrumentation whose tracer provider the SDK built
 * with that sampler can make the same span itself, before building the
 * attributes only the sampler would read (the spec samplers read none).
 *
 * The span is the SDK's DROP result exactly: the parent's trace id and trace
 * state when the parent is valid, a new trace id otherwise, a new span id,
 * not sampled, nothing reaching any span processor. The ids come from the
 * SDK's default generator, the one its TracerProvider uses: this SDK gives
 * NodeSDK no other (a custom id generator would have to be passed here too).
 * The Tracer's debug line for each dropped span ("Recording is off") is not
 * written. Suppressed tracing is left to the Tracer (it answers with the
 * invalid span context), and so is every span the sampler would record.
 */
import { isSpanContextValid, trace, TraceFlags, type Context, type Span } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { RandomIdGenerator } from '@opentelemetry/sdk-trace';

/**
 * What the sampler is known to drop: every span without a sampled parent
 * (`parentbased_always_off`), or every span (`always_off`).
 */
export type KnownDrop = 'unsampled_parent' | 'all';

/** The known drop of a sampler named as OTEL_TRACES_SAMPLER names it, or undefined when it may record. */
export function known_drop(sampler: string): KnownDrop | undefined {
  if (sampler === 'parentbased_always_off') return 'unsampled_parent';
  if (sampler === 'always_off') return 'all';
  return undefined;
}

const ids = new RandomIdGenerator();

/**
 * The non-recording span the SDK's Tracer would return for a span started in
 * `parent`, or undefined when the Tracer must be asked (the sampler may
 * record it, or tracing is suppressed there).
 */
export function dropped_span(drop: KnownDrop, parent: Context): Span | undefined {
  if (isTracingSuppressed(parent)) return undefined;
  const sc = trace.getSpanContext(parent);
  const valid = sc !== undefined && isSpanContextValid(sc);
  if (drop === 'unsampled_parent' && valid && (sc.traceFlags & TraceFlags.SAMPLED) !== 0) return undefined;
  return trace.wrapSpanContext({
    traceId: valid ? sc.traceId : ids.generateTraceId(),
    spanId: ids.generateSpanId(),
    traceFlags: TraceFlags.NONE,
    traceState: valid ? sc.traceState : undefined,
  });
}
