/**
 * Another OpenTelemetry SDK (SDK khác) already registered with the global
 * API: a tracer, meter or logger provider, or a context manager. Found with
 * the API's own behaviour (a no-op provider or context manager answers
 * differently from a real one), so nothing is registered to find out.
 */
import { context, createContextKey, createNoopMeter, logs, metrics, ProxyTracerProvider, ROOT_CONTEXT, trace, type TracerProvider } from '@opentelemetry/api';

/** A key set only to see whether the active context manager keeps it. */
const PROBE_KEY = createContextKey('vietnamese-ai-otel.probe');

/**
 * The tracer provider registered with this copy of the API, or undefined: none
 * registered, or another copy of the API holds the global (its proxy is not
 * this copy's class, and a registration through this copy failed).
 */
export function registered_tracer_provider(): TracerProvider | undefined {
  const registered = trace.getTracerProvider();
  if (!(registered instanceof ProxyTracerProvider)) return undefined;
  const delegate = registered.getDelegate();
  return delegate === new ProxyTracerProvider().getDelegate() ? undefined : delegate;
}

/** What is already registered, e.g. `["tracer provider", "context manager"]`; empty when nothing is. */
export function other_sdks_registered(): string[] {
  const found: string[] = [];
  if (registered_tracer_provider() !== undefined) found.push('tracer provider');
  if (metrics.getMeterProvider().getMeter('probe').constructor !== createNoopMeter().constructor) found.push('meter provider');
  // Until one is registered the API hands out its own proxy, which cannot be flushed; an SDK's provider can.
  if (typeof (logs.getLoggerProvider() as { forceFlush?: unknown }).forceFlush === 'function') found.push('logger provider');
  if (context.with(ROOT_CONTEXT.setValue(PROBE_KEY, true), () => context.active().getValue(PROBE_KEY)) === true) found.push('context manager');
  return found;
}
