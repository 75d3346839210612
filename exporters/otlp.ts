/**
 * `otlp`: OTLP over HTTP, protobuf by default (`http/json` on request), with
 * OTel's exporters. Each gets the pipeline's MeterProvider so its
 * `otel.sdk.exporter.*` self-metrics (items exported, failures by error.type)
 * land in the same pipeline.
 */
import { OTLPTraceExporter as TraceProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as TraceJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPLogExporter as LogProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as LogJson } from '@opentelemetry/exporter-logs-otlp-http';
import type { DiemOtlp } from '../src/sdk/cau-hinh.js';
import { dau_ra_tu_push_exporter } from './push-metric.js';
import { tao_exporter_metric_otlp } from './otlp-exemplar.js';
import type { DinhNghiaExporter, NguCanhExporter } from './types.js';

function cauHinhChung(ctx: NguCanhExporter, diem: DiemOtlp) {
  const c: { url?: string; headers?: Record<string, string>; timeoutMillis?: number; selfObsMeterProvider: NguCanhExporter['selfObsMeterProvider'] } = {
    selfObsMeterProvider: ctx.selfObsMeterProvider,
  };
  if (diem.url !== undefined) c.url = diem.url;
  if (ctx.cau_hinh.otlp.headers !== undefined) c.headers = ctx.cau_hinh.otlp.headers;
  if (ctx.cau_hinh.otlp.timeout_ms !== undefined) c.timeoutMillis = ctx.cau_hinh.otlp.timeout_ms;
  return c;
}

export const otlp: DinhNghiaExporter = {
  traces(ctx) {
    const d = ctx.cau_hinh.otlp.traces;
    return d.protocol === 'http/json' ? new TraceJson(cauHinhChung(ctx, d)) : new TraceProto(cauHinhChung(ctx, d));
  },
  metrics(ctx) {
    const d = ctx.cau_hinh.otlp.metrics;
    // OTel's exporter parts with a serializer that also writes histogram exemplars.
    return dau_ra_tu_push_exporter('otlp', tao_exporter_metric_otlp(d.protocol, cauHinhChung(ctx, d)));
  },
  logs(ctx) {
    const d = ctx.cau_hinh.otlp.logs;
    return d.protocol === 'http/json' ? new LogJson(cauHinhChung(ctx, d)) : new LogProto(cauHinhChung(ctx, d));
  },
};
