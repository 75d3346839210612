/**
 * Adapts any OpenTelemetry `PushMetricExporter` to a push `DauRaMetric`, so
 * OTel's OTLP and console metric exporters plug into the one reader.
 */
import { ExportResultCode } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { DauRaMetric } from './types.js';
import { report_failure } from '../src/core/report.js';

/** A push output (đầu ra) named `name` from an OTel push exporter. */
export function dau_ra_tu_push_exporter(name: string, exporter: PushMetricExporter): DauRaMetric {
  return {
    ten: name,
    xuat(rm: ResourceMetrics): Promise<boolean> {
      return new Promise((resolve) => {
        try {
          exporter.export(rm, (r) => resolve(r.code === ExportResultCode.SUCCESS));
        } catch (e) {
          report_failure(`metric exporter ${name}`, e);
          resolve(false);
        }
      });
    },
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
  };
}
