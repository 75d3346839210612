/**
 * `tao_metric_producer()` (create metric producer): the bridge for an app
 * that runs its own OpenTelemetry SDK (`new NodeSDK(...)` from
 * `@opentelemetry/sdk-node`) instead of `khoi_dong_sdk()`.
 *
 * Spans and log records of the facades already reach such an SDK through the
 * global OTel API. Metrics cannot: the OTel metrics API has no proxy meter,
 * so the facades declare their instruments in this package's registry and a
 * pipeline of ours materialises them (see src/core/registry.ts). This producer hands
 * one collection of that pipeline (the SDK's if `khoi_dong_sdk()` runs, else
 * the embedded one) to the user's reader at each of its collections, so the
 * user's exporters get every facade's metrics. The points are cumulative.
 */
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import { pipeline_hoac_mac_dinh } from './embedded.js';

/**
 * A `MetricProducer` carrying every facade's metrics (QuanLyMetrics, MachCat,
 * LoggerCauTruc, LamNongModel, KiemTraSucKhoe), for
 * `new PeriodicExportingMetricReader({ exporter, metricProducers: [tao_metric_producer()] })`.
 * The user's reader replaces the resource with its own MeterProvider's.
 */
export function tao_metric_producer(): MetricProducer {
  // Materialise the facades' instruments now, so histograms record from here on.
  pipeline_hoac_mac_dinh();
  return {
    async collect() {
      return { resourceMetrics: await pipeline_hoac_mac_dinh().thu_thap(), errors: [] };
    },
  };
}
