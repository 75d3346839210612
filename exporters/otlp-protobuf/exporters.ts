/**
 * The OTLP/HTTP protobuf span and log record exporters: OTel's own exporter
 * (`OTLPExporterBase` over the node HTTP delegate, the parts its
 * `OTLPTraceExporter` and `OTLPLogExporter` are built from, with their
 * component types), so retries, timeouts, compression, headers and the
 * `otel.sdk.exporter.*` self-metrics are OTel's; only the request bytes are
 * written by this project's serializers, the same bytes in less time.
 */
import type { MeterProvider } from '@opentelemetry/api';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { LogsExporterMetricsHelper, TraceExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { LogProtobufSerializer } from './logs.js';
import { SpanProtobufSerializer } from './spans.js';

/** What the exporters take (tùy chọn): OTel's OTLP/HTTP exporter options (url, headers, timeoutMillis, httpAgentOptions, ...). */
export type OtlpHttpOptions = Parameters<typeof convertLegacyHttpOptions>[0] & { selfObsMeterProvider?: MeterProvider };

const PROTOBUF = { 'Content-Type': 'application/x-protobuf' };

/** OTLP/HTTP protobuf span exporter (OTEL_EXPORTER_OTLP_TRACES_* as OTel's `OTLPTraceExporter` reads them). */
export class OtlpSpanExporterProto extends OTLPExporterBase<ReadableSpan[]> {
  constructor(options: OtlpHttpOptions = {}) {
    super(createOtlpHttpExportDelegate(convertLegacyHttpOptions(options, 'TRACES', 'v1/traces', PROTOBUF), SpanProtobufSerializer, 'otlp_http_span_exporter', TraceExporterMetricsHelper, options.selfObsMeterProvider));
  }
}

/** OTLP/HTTP protobuf log record exporter (OTEL_EXPORTER_OTLP_LOGS_* as OTel's `OTLPLogExporter` reads them). */
export class OtlpLogExporterProto extends OTLPExporterBase<ReadableLogRecord[]> {
  constructor(options: OtlpHttpOptions = {}) {
    super(createOtlpHttpExportDelegate(convertLegacyHttpOptions(options, 'LOGS', 'v1/logs', PROTOBUF), LogProtobufSerializer, 'otlp_http_log_exporter', LogsExporterMetricsHelper, options.selfObsMeterProvider));
  }
}
