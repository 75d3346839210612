/**
 * The anchor of the load bench (issue 15): how a user instruments a Node
 * service the standard way, without this project. @opentelemetry/sdk-node
 * with the http, undici and pino instrumentations (the ones
 * auto-instrumentations-node would enable for this app), traces and log
 * records over OTLP/HTTP protobuf, metrics over OTLP and OTel's Prometheus
 * exporter. Required first by both standard services (CommonJS, so the
 * instrumentations patch node:http and pino as they load).
 */
'use strict';
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici');
const { PinoInstrumentation } = require('@opentelemetry/instrumentation-pino');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-proto');
const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-proto');
const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace');
const { BatchLogRecordProcessor } = require('@opentelemetry/sdk-logs');
const { PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const PROBES = new Set(['/metrics', '/livez', '/readyz', '/healthz']);

const prometheus = new PrometheusExporter({ preventServerStart: true });
const sdk = new NodeSDK({
  resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? 'standard' }),
  spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  logRecordProcessors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter() })],
  metricReaders: [
    new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), exportIntervalMillis: Number(process.env.OTEL_METRIC_EXPORT_INTERVAL ?? 60000) }),
    prometheus,
  ],
  instrumentations: [
    new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => PROBES.has((req.url ?? '/').split('?')[0]) }),
    new UndiciInstrumentation(),
    new PinoInstrumentation(),
  ],
});
sdk.start();

module.exports = { sdk, prometheus, PROBES };
