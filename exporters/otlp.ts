/**
 * `otlp`: OTel's OTLP exporters over `http/protobuf` (default), `http/json`
 * or `grpc`. Over `http/protobuf`, spans and log records are serialized by
 * this project's one-pass writer (./otlp-protobuf: the same bytes as OTel's
 * serializer in less than half the time), inside OTel's exporter. Each gets
 * the pipeline's MeterProvider so its `otel.sdk.exporter.*` self-metrics
 * (items exported, failures by error.type) land in the same pipeline. What
 * the options do not set (endpoint, headers, timeout, compression, TLS files)
 * each exporter reads from OTEL_EXPORTER_OTLP_* itself, as the spec
 * describes; a variable the configuration found malformed is hidden from it
 * while it is built, so a bad header never reaches a request.
 */
import { OTLPTraceExporter as TraceJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TraceGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPMetricExporter as MetricGrpc } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPLogExporter as LogJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';
import { createEmptyMetadata, type OTLPGRPCExporterConfigNode } from '@opentelemetry/otlp-grpc-exporter-base';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import type { DiemOtlp } from './types.js';
import { dau_ra_tu_push_exporter } from './push-metric.js';
import { OtlpMetricJsonExemplar, OtlpMetricProtoExemplar } from './otlp-exemplar.js';
import { OtlpLogExporterProto, OtlpSpanExporterProto } from './otlp-protobuf/exporters.js';
import { to_delta } from './delta.js';
import type { DinhNghiaExporter, NguCanhExporter } from './types.js';

type ExporterClass<C> = new (config: C) => unknown;
/** One signal's exporter class per OTLP protocol. */
interface ByProtocol<T> {
  'http/protobuf': ExporterClass<T>;
  'http/json': ExporterClass<T>;
  grpc: ExporterClass<OTLPGRPCExporterConfigNode>;
}

/** Runs `build()` with the variables in `hidden` absent from process.env, restored right after. */
function withoutEnv<T>(hidden: readonly string[], build: () => T): T {
  const saved = hidden.map((name) => [name, process.env[name]] as const);
  for (const name of hidden) delete process.env[name];
  try {
    return build();
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}

/** One signal's OTLP exporter for `endpoint`'s protocol, configured from the options set. */
function createExporter<R>(ctx: NguCanhExporter, endpoint: DiemOtlp, classes: ByProtocol<object>): R {
  const config: Record<string, unknown> = { selfObsMeterProvider: ctx.selfObsMeterProvider };
  // The SDK's agents: tat() destroys their sockets, so no request outlives it (HTTP protocols only).
  if (ctx.agent_http !== undefined && endpoint.protocol !== 'grpc') config.httpAgentOptions = ctx.agent_http;
  if (endpoint.url !== undefined) config.url = endpoint.url;
  if (ctx.cau_hinh.otlp.timeout_ms !== undefined) config.timeoutMillis = ctx.cau_hinh.otlp.timeout_ms;
  if (endpoint.headers !== undefined && endpoint.protocol !== 'grpc') config.headers = endpoint.headers;
  if (endpoint.headers !== undefined && endpoint.protocol === 'grpc') {
    const metadata = createEmptyMetadata();
    for (const [k, v] of Object.entries(endpoint.headers)) metadata.set(k, v);
    config.metadata = metadata;
  }
  const Exporter = classes[endpoint.protocol] as ExporterClass<object>;
  return withoutEnv(ctx.cau_hinh.bien_bi_an, () => new Exporter(config)) as R;
}

export const otlp: DinhNghiaExporter = {
  traces: (ctx) => createExporter(ctx, ctx.cau_hinh.otlp.traces, { 'http/protobuf': OtlpSpanExporterProto, 'http/json': TraceJson, grpc: TraceGrpc }),
  metrics(ctx) {
    // Over HTTP, OTel's exporter parts with a serializer that also writes histogram exemplars (gRPC: OTel's, without).
    const exporter = createExporter<OtlpMetricProtoExemplar>(ctx, ctx.cau_hinh.otlp.metrics, { 'http/protobuf': OtlpMetricProtoExemplar, 'http/json': OtlpMetricJsonExemplar, grpc: MetricGrpc });
    const output = dau_ra_tu_push_exporter('otlp', exporter);
    const temporality = ctx.cau_hinh.otlp.temporality;
    return temporality === 'cumulative' ? output : { ...output, xuat: to_delta(temporality, output.xuat!) };
  },
  logs: (ctx) => createExporter(ctx, ctx.cau_hinh.otlp.logs, { 'http/protobuf': OtlpLogExporterProto, 'http/json': LogJson, grpc: LogGrpc }),
};

/** `zipkin`: OTel's Zipkin exporter (OTEL_EXPORTER_ZIPKIN_ENDPOINT, default http://localhost:9411/api/v2/spans). */
export const zipkin: DinhNghiaExporter = {
  traces: () => new ZipkinExporter(),
};
