/**
 * Delta temporality for one push output
 * (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE). The pipeline has ONE
 * cumulative reader (Prometheus needs cumulative); an output that prefers
 * delta gets each collection converted: every monotonic sum and histogram
 * point becomes the difference from the same series in the previous
 * collection this output saw, starting where that one ended. The shared
 * collection is never modified (other outputs read it too).
 *
 * `delta`: monotonic sums and histograms; `lowmemory`: histograms only (the
 * collection does not say whether a sum came from a synchronous counter,
 * which is what `lowmemory` would turn to delta). Up/down sums, gauges and
 * exponential histograms stay cumulative. Min and max are dropped from delta
 * histogram points: they cannot be derived from two cumulative ones.
 */
import { AggregationTemporality, DataPointType, type DataPoint, type Histogram, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { HrTime } from '@opentelemetry/api';
import type { UuTienThoiGian } from './types.js';

interface Truoc {
  readonly gia_tri: number | Histogram;
  readonly het: HrTime;
}

function hieu(nay: number | Histogram, truoc: number | Histogram): number | Histogram {
  if (typeof nay === 'number') return typeof truoc === 'number' && truoc <= nay ? nay - truoc : nay;
  const t = truoc as Histogram;
  // A reset (fewer observations than before) or new buckets: send the whole value.
  if (typeof t !== 'object' || t.count > nay.count || t.buckets.counts.length !== nay.buckets.counts.length) return nay;
  return {
    buckets: { boundaries: nay.buckets.boundaries, counts: nay.buckets.counts.map((c, i) => c - (t.buckets.counts[i] ?? 0)) },
    count: nay.count - t.count,
    sum: nay.sum !== undefined && t.sum !== undefined ? nay.sum - t.sum : nay.sum,
  };
}

/** Wraps a push function so it receives delta points; state is per output. */
export function sang_delta(uu_tien: Exclude<UuTienThoiGian, 'cumulative'>, xuat: (rm: ResourceMetrics) => Promise<boolean>): (rm: ResourceMetrics) => Promise<boolean> {
  const truoc = new Map<string, Truoc>();
  const doi = (ten: string, m: MetricData): MetricData => {
    const sum = m.dataPointType === DataPointType.SUM && m.isMonotonic && uu_tien === 'delta';
    if (!sum && m.dataPointType !== DataPointType.HISTOGRAM) return m;
    const diem = (m.dataPoints as DataPoint<number | Histogram>[]).map((dp) => {
      const khoa = `${ten}\0${m.descriptor.name}\0${JSON.stringify(Object.entries(dp.attributes).sort())}`;
      const t = truoc.get(khoa);
      truoc.set(khoa, { gia_tri: dp.value, het: dp.endTime });
      return { ...dp, startTime: t?.het ?? dp.startTime, value: t === undefined ? dp.value : hieu(dp.value, t.gia_tri) };
    });
    return { ...m, aggregationTemporality: AggregationTemporality.DELTA, dataPoints: diem } as MetricData;
  };
  return (rm) =>
    xuat({
      resource: rm.resource,
      scopeMetrics: rm.scopeMetrics.map((sm) => ({ scope: sm.scope, metrics: sm.metrics.map((m) => doi(`${sm.scope.name}@${sm.scope.version ?? ''}`, m)) })),
    });
}
