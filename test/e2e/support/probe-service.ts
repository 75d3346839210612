/**
 * A small service for the e2e test, run as its own process
 * (`node --import tsx test/e2e/support/probe-service.ts`): starts the SDK
 * pointed at the collector, makes N traces (a parent span with a child), one
 * log record inside each child span and a counter, serves Prometheus /metrics,
 * prints one JSON line
 * `{"ready":true,"flushed":bool,"traces":[{traceId,parentSpanId,childSpanId}]}`
 * and keeps serving until a line `stop` arrives on stdin; then shuts the SDK
 * down (flushing every signal), prints `{"done":true,...}` and exits 0.
 *
 * Env: PROBE_OTLP_ENDPOINT (collector OTLP/HTTP base URL), PROBE_PROM_PORT,
 * PROBE_N (default 5), PROBE_SERVICE (default e2e-probe).
 */
import { createInterface } from 'node:readline';
import { logs, metrics, SeverityNumber, trace } from '@opentelemetry/api';
import { khoi_dong_sdk } from '../../../src/index.js';

function required(name: string): string {
  const v = process.env[name];
  if (v === undefined || v === '') throw new TypeError(`probe-service: ${name} is required`);
  return v;
}

const endpoint = required('PROBE_OTLP_ENDPOINT');
const port = Number(required('PROBE_PROM_PORT'));
const n = Number(process.env.PROBE_N ?? '5');
const service = process.env.PROBE_SERVICE ?? 'e2e-probe';
if (!Number.isInteger(port) || port <= 0) throw new RangeError(`probe-service: bad PROBE_PROM_PORT ${String(port)}`);
if (!Number.isInteger(n) || n <= 0) throw new RangeError(`probe-service: bad PROBE_N ${String(n)}`);

const sdk = khoi_dong_sdk({
  ten_dich_vu: service,
  otlp: { endpoint },
  metrics_exporter: ['otlp', 'prometheus'],
  prometheus: { port, host: '127.0.0.1', phuc_vu: true },
  chu_ky_metrics_ms: 1000,
  http: false,
});
if (sdk === undefined) throw new Error('probe-service: the SDK is disabled (OTEL_SDK_DISABLED?)');

const tracer = trace.getTracer('e2e-probe', '1.0.0');
const logger = logs.getLogger('e2e-probe', '1.0.0');
const counter = metrics.getMeter('e2e-probe', '1.0.0').createCounter('e2e_probe_requests', { description: 'Probe requests made by the e2e test service.' });

const traces: { traceId: string; parentSpanId: string; childSpanId: string }[] = [];
for (let i = 0; i < n; i++) {
  tracer.startActiveSpan('probe.parent', (parent) => {
    parent.setAttribute('probe.i', i);
    tracer.startActiveSpan('probe.child', (child) => {
      // Emitted in the child's context: the record carries its trace and span ids.
      logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: `probe log ${i}`, attributes: { 'probe.i': i } });
      traces.push({ traceId: child.spanContext().traceId, parentSpanId: parent.spanContext().spanId, childSpanId: child.spanContext().spanId });
      child.end();
    });
    counter.add(1, { 'probe.kind': 'e2e' });
    parent.end();
  });
}
const flushed = await sdk.flush();
process.stdout.write(`${JSON.stringify({ ready: true, flushed, traces })}\n`);

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  if (line.trim() === 'stop') break;
}
const result = await sdk.tat();
process.stdout.write(`${JSON.stringify({ done: true, result })}\n`);
process.exit(0);
