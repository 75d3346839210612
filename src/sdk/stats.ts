/**
 * The SDK's own statistics (thống kê): how many spans, log records and metric
 * points were delivered, and how many were dropped, by reason. Read from
 * OpenTelemetry's semconv self-observability metrics
 * (`otel.sdk.processor.{span,log}.processed`, attribute `error.type`), which
 * the batch processors and OTLP exporters record into this same pipeline, so
 * the numbers returned here are exactly what `/metrics` and OTLP show.
 */
import { DataPointType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { DemDauRa } from '../pipeline/metric-reader.js';

/** Delivered vs dropped for one signal. */
export interface ThongKeTinHieu {
  /** Items whose processing finished without error (exported). */
  da_xuat: number;
  /** Dropped items by reason (`queue_full`, an exporter error name, ...). */
  bi_bo: Record<string, number>;
  /** Sum of `bi_bo`. */
  tong_bi_bo: number;
}

export interface ThongKeSdk {
  spans: ThongKeTinHieu;
  logs: ThongKeTinHieu;
  metrics: {
    /** Per metric output: pushes that succeeded/failed and points lost. */
    theo_dau_ra: Record<string, DemDauRa>;
    tong_diem_bi_bo: number;
  };
}

function rong(): ThongKeTinHieu {
  return { da_xuat: 0, bi_bo: {}, tong_bi_bo: 0 };
}

function cong(tk: ThongKeTinHieu, rm: ResourceMetrics, ten: string): void {
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      if (m.descriptor.name !== ten || m.dataPointType !== DataPointType.SUM) continue;
      for (const dp of m.dataPoints) {
        const loi = dp.attributes['error.type'];
        const v = dp.value as number;
        if (loi === undefined) tk.da_xuat += v;
        else {
          const k = String(loi);
          tk.bi_bo[k] = (tk.bi_bo[k] ?? 0) + v;
          tk.tong_bi_bo += v;
        }
      }
    }
  }
}

export function tinh_thong_ke(rm: ResourceMetrics, dem: ReadonlyMap<string, DemDauRa>): ThongKeSdk {
  const spans = rong();
  const logs = rong();
  cong(spans, rm, 'otel.sdk.processor.span.processed');
  cong(logs, rm, 'otel.sdk.processor.log.processed');
  const theo_dau_ra: Record<string, DemDauRa> = {};
  let tong_diem_bi_bo = 0;
  for (const [k, v] of dem) {
    theo_dau_ra[k] = { ...v };
    tong_diem_bi_bo += v.diem_bi_bo;
  }
  return { spans, logs, metrics: { theo_dau_ra, tong_diem_bi_bo } };
}
