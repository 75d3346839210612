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

/** What an output last saw of one series. */
interface PreviousPoint {
  readonly value: number | Histogram;
  readonly endTime: HrTime;
}

/** `current - previous`, or the whole `current` after a reset. */
function difference(current: number | Histogram, previous: number | Histogram): number | Histogram {
  if (typeof current === 'number') return typeof previous === 'number' && previous <= current ? current - previous : current;
  const prev = previous as Histogram;
  // A reset (fewer observations than before) or new buckets: send the whole value.
  if (typeof prev !== 'object' || prev.count > current.count || prev.buckets.counts.length !== current.buckets.counts.length) return current;
  return {
    buckets: { boundaries: current.buckets.boundaries, counts: current.buckets.counts.map((c, i) => c - (prev.buckets.counts[i] ?? 0)) },
    count: current.count - prev.count,
    sum: current.sum !== undefined && prev.sum !== undefined ? current.sum - prev.sum : current.sum,
  };
}

/** Wraps a push function so it receives delta points; state is per output. */
export function to_delta(preference: Exclude<UuTienThoiGian, 'cumulative'>, push: (rm: ResourceMetrics) => Promise<boolean>): (rm: ResourceMetrics) => Promise<boolean> {
  const previous = new Map<string, PreviousPoint>();
  const convert = (scopeKey: string, m: MetricData): MetricData => {
    const sum = m.dataPointType === DataPointType.SUM && m.isMonotonic && preference === 'delta';
    if (!sum && m.dataPointType !== DataPointType.HISTOGRAM) return m;
    const points = (m.dataPoints as DataPoint<number | Histogram>[]).map((dp) => {
      const seriesKey = `${scopeKey}\0${m.descriptor.name}\0${JSON.stringify(Object.entries(dp.attributes).sort())}`;
      const prev = previous.get(seriesKey);
      previous.set(seriesKey, { value: dp.value, endTime: dp.endTime });
      return { ...dp, startTime: prev?.endTime ?? dp.startTime, value: prev === undefined ? dp.value : difference(dp.value, prev.value) };
    });
    return { ...m, aggregationTemporality: AggregationTemporality.DELTA, dataPoints: points } as MetricData;
  };
  return (rm) =>
    push({
      resource: rm.resource,
      scopeMetrics: rm.scopeMetrics.map((sm) => ({ scope: sm.scope, metrics: sm.metrics.map((m) => convert(`${sm.scope.name}@${sm.scope.version ?? ''}`, m)) })),
    });
}
