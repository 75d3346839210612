/**
 * Runtime metrics (on by default with the SDK), under OpenTelemetry's
 * semantic-convention names, on the one pipeline's MeterProvider:
 *
 * - from the maintained @opentelemetry/instrumentation-runtime-node:
 *   `nodejs.eventloop.delay.{min,max,mean,stddev,p50,p90,p99}` (s),
 *   `nodejs.eventloop.utilization`, `nodejs.eventloop.time` (by state),
 *   `v8js.gc.duration` (histogram, s, by `v8js.gc.type`),
 *   `v8js.memory.heap.used` and `v8js.memory.heap.space.size` (the
 *   per-space limit; semconv's `v8js.memory.heap.limit` is deprecated for
 *   it), `.space.available_size`, `.space.physical_size` (By, by
 *   `v8js.heap.space.name`), `v8js.resource.active`;
 * - written here, since that package has none and @opentelemetry/host-metrics
 *   would bring the `systeminformation` dependency and host-wide metrics for
 *   two numbers: `process.cpu.time` (s, by `cpu.mode` user/system) and
 *   `process.memory.usage` (By, resident set size).
 *
 * Everything is read at collection time (observable instruments), except
 * the event-loop delay histogram (a libuv timer every `monitoringPrecision`
 * ms, 50 here, reset at each collection, so its figures cover the time since the
 * previous collection by any output) and GC durations (a PerformanceObserver
 * callback per GC). Their cost at rest is measured by bench/runtime.bench.ts.
 */
import type { MeterProvider } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { RuntimeNodeInstrumentation, type RuntimeNodeInstrumentationConfig } from '@opentelemetry/instrumentation-runtime-node';
import { LIBRARY_VERSION } from '../core/version.js';
import { observe_batch } from '../core/lazy-source.js';

/**
 * The event-loop delay monitor's sampling period (ms). The package's default
 * of 10 ms wakes an idle process 100 times a second, which bench/runtime
 * measured at ~0.7% of a core on its own; 50 ms costs ~0.1% and still
 * samples 1200 times per minute, plenty for p50..p99 between collections.
 * `runtime_node: { monitoringPrecision }` overrides it.
 */
const MONITORING_PRECISION_MS = 50;

/** Instrumentation scope of the process metrics written here. */
export const SCOPE_PROCESS = 'vietnamese-ai-otel/process';

/** `process.cpu.time` and `process.memory.usage` on `meterProvider`; returns how to remove them. */
function enableProcessMetrics(meterProvider: MeterProvider): () => void {
  const meter = meterProvider.getMeter(SCOPE_PROCESS, LIBRARY_VERSION);
  const cpu = meter.createObservableCounter('process.cpu.time', { description: 'Total CPU seconds broken down by different CPU modes.', unit: 's' });
  const mem = meter.createObservableUpDownCounter('process.memory.usage', { description: 'The amount of physical memory in use.', unit: 'By' });
  return observe_batch(meter, [cpu, mem], (result) => {
    const usage = process.cpuUsage();
    result.observe(cpu, usage.user / 1e6, { 'cpu.mode': 'user' });
    result.observe(cpu, usage.system / 1e6, { 'cpu.mode': 'system' });
    result.observe(mem, process.memoryUsage.rss());
  });
}

/**
 * Turns the runtime metrics on (bật) for a MeterProvider.
 * @returns how to turn them off (stops the event-loop monitor and GC observer).
 */
export function start_runtime_metrics(meterProvider: MeterProvider, config: RuntimeNodeInstrumentationConfig = {}): () => void {
  const instrumentation = new RuntimeNodeInstrumentation({ monitoringPrecision: MONITORING_PRECISION_MS, ...config });
  const disableRuntime = registerInstrumentations({ instrumentations: [instrumentation], meterProvider });
  const disableProcess = enableProcessMetrics(meterProvider);
  return () => {
    disableProcess();
    disableRuntime();
  };
}
