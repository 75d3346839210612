/**
 * The SDK's own statistics (thống kê): how many spans, log records and metric
 * points were delivered, and how many were dropped, by reason. Read from
 * OpenTelemetry's semconv self-observability metrics
 * (`otel.sdk.processor.{span,log}.processed`, attribute `error.type`), which
 * the batch processors and OTLP exporters record into this same pipeline, so
 * the numbers returned here are exactly what `/metrics` and OTLP show.
 */
import { DataPointType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { OutputCounts } from '../pipeline/metric-reader.js';

/** Delivered vs dropped for one signal (thống kê tín hiệu). */
export interface ThongKeTinHieu {
  /** Items whose processing finished without error (exported). */
  da_xuat: number;
  /** Dropped items by reason (`queue_full`, an exporter error name, ...). */
  bi_bo: Record<string, number>;
  /** Sum of `bi_bo`. */
  tong_bi_bo: number;
}

/** The SDK's statistics (thống kê SDK), as `SdkDangChay.thong_ke()` returns them. */
export interface ThongKeSdk {
  spans: ThongKeTinHieu;
  logs: ThongKeTinHieu;
  metrics: {
    /** Per metric output: pushes that succeeded/failed and points lost. */
    theo_dau_ra: Record<string, OutputCounts>;
    tong_diem_bi_bo: number;
  };
}

function emptySignal(): ThongKeTinHieu {
  return { da_xuat: 0, bi_bo: {}, tong_bi_bo: 0 };
}

/** Adds the points of the processed-items counter `metricName` to `stats`: no `error.type` = exported, else dropped by that reason. */
function addProcessed(stats: ThongKeTinHieu, rm: ResourceMetrics, metricName: string): void {
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      if (m.descriptor.name !== metricName || m.dataPointType !== DataPointType.SUM) continue;
      for (const dp of m.dataPoints) {
        const errorType = dp.attributes['error.type'];
        const count = dp.value as number;
        if (errorType === undefined) stats.da_xuat += count;
        else {
          const reason = String(errorType);
          stats.bi_bo[reason] = (stats.bi_bo[reason] ?? 0) + count;
          stats.tong_bi_bo += count;
        }
      }
    }
  }
}

/** The SDK's statistics (tính thống kê) from one collection and the metric reader's per-output counts. */
export function compute_stats(rm: ResourceMetrics, outputCounts: ReadonlyMap<string, OutputCounts>): ThongKeSdk {
  const spans = emptySignal();
  const logs = emptySignal();
  addProcessed(spans, rm, 'otel.sdk.processor.span.processed');
  addProcessed(logs, rm, 'otel.sdk.processor.log.processed');
  const byOutput: Record<string, OutputCounts> = {};
  let droppedPoints = 0;
  for (const [name, counts] of outputCounts) {
    byOutput[name] = { ...counts };
    droppedPoints += counts.diem_bi_bo;
  }
  return { spans, logs, metrics: { theo_dau_ra: byOutput, tong_diem_bi_bo: droppedPoints } };
}
