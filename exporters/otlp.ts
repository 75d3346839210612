/**
 * `otlp`: OTel's OTLP exporters over `http/protobuf` (default), `http/json`
 * or `grpc`. Each gets the pipeline's MeterProvider so its
 * `otel.sdk.exporter.*` self-metrics (items exported, failures by error.type)
 * land in the same pipeline. What the options do not set (endpoint, headers,
 * timeout, compression, TLS files) each exporter reads from OTEL_EXPORTER_OTLP_*
 * itself, as the spec describes; a variable the configuration found malformed
 * is hidden from it while it is built, so a bad header never reaches a request.
 */
import { OTLPTraceExporter as TraceProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as TraceJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TraceGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPMetricExporter as MetricGrpc } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPLogExporter as LogProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as LogJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';
import { createEmptyMetadata, type OTLPGRPCExporterConfigNode } from '@opentelemetry/otlp-grpc-exporter-base';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import type { DiemOtlp } from './types.js';
import { dau_ra_tu_push_exporter } from './push-metric.js';
import { OtlpMetricJsonExemplar, OtlpMetricProtoExemplar } from './otlp-exemplar.js';
import { sang_delta } from './delta.js';
import type { DinhNghiaExporter, NguCanhExporter } from './types.js';

type Lop<C> = new (c: C) => unknown;
interface BoBa<T> {
  'http/protobuf': Lop<T>;
  'http/json': Lop<T>;
  grpc: Lop<OTLPGRPCExporterConfigNode>;
}

/** Builds `tao()` with the variables in `bien` absent from process.env, restored right after. */
function khongCoBien<T>(bien: readonly string[], tao: () => T): T {
  const cu = bien.map((b) => [b, process.env[b]] as const);
  for (const b of bien) delete process.env[b];
  try {
    return tao();
  } finally {
    for (const [b, v] of cu) if (v !== undefined) process.env[b] = v;
  }
}

function tao<R>(ctx: NguCanhExporter, diem: DiemOtlp, lop: BoBa<object>): R {
  const c: Record<string, unknown> = { selfObsMeterProvider: ctx.selfObsMeterProvider };
  // The SDK's agents: tat() destroys their sockets, so no request outlives it (HTTP protocols only).
  if (ctx.agent_http !== undefined && diem.protocol !== 'grpc') c.httpAgentOptions = ctx.agent_http;
  if (diem.url !== undefined) c.url = diem.url;
  if (ctx.cau_hinh.otlp.timeout_ms !== undefined) c.timeoutMillis = ctx.cau_hinh.otlp.timeout_ms;
  if (diem.headers !== undefined && diem.protocol !== 'grpc') c.headers = diem.headers;
  if (diem.headers !== undefined && diem.protocol === 'grpc') {
    const m = createEmptyMetadata();
    for (const [k, v] of Object.entries(diem.headers)) m.set(k, v);
    c.metadata = m;
  }
  const L = lop[diem.protocol] as Lop<object>;
  return khongCoBien(ctx.cau_hinh.bien_bi_an, () => new L(c)) as R;
}

export const otlp: DinhNghiaExporter = {
  traces: (ctx) => tao(ctx, ctx.cau_hinh.otlp.traces, { 'http/protobuf': TraceProto, 'http/json': TraceJson, grpc: TraceGrpc }),
  metrics(ctx) {
    // Over HTTP, OTel's exporter parts with a serializer that also writes histogram exemplars (gRPC: OTel's, without).
    const e = tao<OtlpMetricProtoExemplar>(ctx, ctx.cau_hinh.otlp.metrics, { 'http/protobuf': OtlpMetricProtoExemplar, 'http/json': OtlpMetricJsonExemplar, grpc: MetricGrpc });
    const ra = dau_ra_tu_push_exporter('otlp', e);
    const uuTien = ctx.cau_hinh.otlp.temporality;
    return uuTien === 'cumulative' ? ra : { ...ra, xuat: sang_delta(uuTien, ra.xuat!) };
  },
  logs: (ctx) => tao(ctx, ctx.cau_hinh.otlp.logs, { 'http/protobuf': LogProto, 'http/json': LogJson, grpc: LogGrpc }),
};

/** `zipkin`: OTel's Zipkin exporter (OTEL_EXPORTER_ZIPKIN_ENDPOINT, default http://localhost:9411/api/v2/spans). */
export const zipkin: DinhNghiaExporter = {
  traces: () => new ZipkinExporter(),
};
