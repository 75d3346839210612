/**
 * Adapts any OpenTelemetry `PushMetricExporter` to a push `DauRaMetric`, so
 * OTel's OTLP and console metric exporters plug into the one reader.
 */
import { ExportResultCode } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { DauRaMetric } from './types.js';
import { report_failure } from '../src/core/report.js';

export function dau_ra_tu_push_exporter(ten: string, exporter: PushMetricExporter): DauRaMetric {
  return {
    ten,
    xuat(rm: ResourceMetrics): Promise<boolean> {
      return new Promise((resolve) => {
        try {
          exporter.export(rm, (r) => resolve(r.code === ExportResultCode.SUCCESS));
        } catch (e) {
          report_failure(`metric exporter ${ten}`, e);
          resolve(false);
        }
      });
    },
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
  };
}
