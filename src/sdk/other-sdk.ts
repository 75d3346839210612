/**
 * Another OpenTelemetry SDK (SDK khác) already registered with the global
 * API: a tracer, meter or logger provider, or a context manager. Found with
 * the API's own behaviour (a no-op provider or context manager answers
 * differently from a real one), so nothing is registered to find out.
 */
import { context, createContextKey, createNoopMeter, logs, metrics, ProxyTracerProvider, ROOT_CONTEXT, trace } from '@opentelemetry/api';

const KHOA_THU = createContextKey('vietnamese-ai-otel.probe');

/** What is already registered, e.g. `["tracer provider", "context manager"]`; empty when nothing is. */
export function sdk_khac_da_dang_ky(): string[] {
  const co: string[] = [];
  const tp = trace.getTracerProvider();
  if (tp instanceof ProxyTracerProvider && tp.getDelegate() !== new ProxyTracerProvider().getDelegate()) co.push('tracer provider');
  if (metrics.getMeterProvider().getMeter('probe').constructor !== createNoopMeter().constructor) co.push('meter provider');
  // Until one is registered the API hands out its own proxy, which cannot be flushed; an SDK's provider can.
  if (typeof (logs.getLoggerProvider() as { forceFlush?: unknown }).forceFlush === 'function') co.push('logger provider');
  if (context.with(ROOT_CONTEXT.setValue(KHOA_THU, true), () => context.active().getValue(KHOA_THU)) === true) co.push('context manager');
  return co;
}
