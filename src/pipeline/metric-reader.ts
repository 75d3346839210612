/**
 * The one metric reader (bộ đọc metric) of a pipeline. Recording cost in the
 * OTel SDK grows with the number of readers (each keeps its own storage per
 * instrument), so Prometheus and OTLP must not each get one. This reader is
 * cumulative (what Prometheus needs, and fine for OTLP) and fans every
 * collection out to all push outputs; pull outputs collect from it on demand.
 */
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { AggregationTemporality, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { BoThuThap, DauRaMetric } from '../../exporters/types.js';
import { race_deadline } from '../core/deadline.js';
import { report_failure } from '../core/report.js';
import { collect_producers } from '../core/registry.js';

/** The reader's options (fields named as the pipeline's options). */
export interface MetricReaderOptions {
  /** Push interval (ms). */
  chu_ky_ms: number;
  /** Timeout of one push to one output (ms). */
  timeout_ms: number;
  /** Max series per metric (OTel's cardinality limit). */
  gioi_han_series: number;
  /** Runs on every collection before anyone reads it (the pipeline puts exemplars on histogram points). */
  sau_thu_thap?: (rm: ResourceMetrics) => void;
}

/** Counts of the fan-out, per output (public through ThongKeSdk: field names are API). */
export interface OutputCounts {
  xuat_ok: number;
  xuat_loi: number;
  /** Data points in failed pushes: metric points lost for that output. */
  diem_bi_bo: number;
}

function countPoints(rm: ResourceMetrics): number {
  let n = 0;
  for (const sm of rm.scopeMetrics) for (const m of sm.metrics) n += m.dataPoints.length;
  return n;
}

/** The metric reader (bộ đọc metric): one per pipeline, fanning each collection out to every output. */
export class BoDocMetric extends MetricReader implements BoThuThap {
  private readonly outputs: DauRaMetric[] = [];
  /** Per output name (đếm: counts). */
  readonly dem = new Map<string, OutputCounts>();
  private pushTimer: NodeJS.Timeout | undefined;
  private pushInFlight: Promise<unknown> | undefined;
  /** Ticks skipped (bỏ qua) because the previous push had not finished. */
  bo_qua = 0;

  constructor(private readonly options: MetricReaderOptions) {
    super({
      aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
      cardinalitySelector: () => options.gioi_han_series,
      // Facade-owned aggregations join every collection of this one reader.
      metricProducers: [
        {
          collect: async () => ({
            resourceMetrics: { resource: undefined as never, scopeMetrics: collect_producers(options.gioi_han_series) },
            errors: [],
          }),
        },
      ],
    });
  }

  /**
   * Adds an output (thêm đầu ra). Registration is synchronous (a flush right after start
   * already includes it); only attaching a pull output (e.g. listening on a
   * port) is awaited. Push outputs are pushed to on the interval.
   */
  them_dau_ra(output: DauRaMetric): Promise<void> {
    this.outputs.push(output);
    this.dem.set(output.ten, { xuat_ok: 0, xuat_loi: 0, diem_bi_bo: 0 });
    if (output.xuat !== undefined && output.gan === undefined && this.pushTimer === undefined) {
      this.pushTimer = setInterval(() => {
        if (this.pushInFlight !== undefined) {
          this.bo_qua++;
          return;
        }
        void this.thu_thap_va_xuat().catch((e: unknown) => report_failure('periodic metric export', e));
      }, this.options.chu_ky_ms);
      this.pushTimer.unref();
    }
    if (output.gan === undefined) return Promise.resolve();
    try {
      return Promise.resolve(output.gan(this));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** The outputs (đầu ra), in the order added. */
  get dau_ra(): readonly DauRaMetric[] {
    return this.outputs;
  }

  /** Collects once (thu thập; for pull outputs and reads). */
  async thu_thap(): Promise<ResourceMetrics> {
    const { resourceMetrics } = await this.collect();
    // Detectors such as host.id settle asynchronously; readers of the collection read attributes synchronously.
    await resourceMetrics.resource.waitForAsyncAttributes?.();
    this.options.sau_thu_thap?.(resourceMetrics);
    return resourceMetrics;
  }

  /**
   * Collects ONCE and exports (thu thập và xuất) that same collection to
   * every push output, in parallel, each bounded by the push timeout. Failures are counted per
   * output; the promise never rejects because an output failed.
   */
  thu_thap_va_xuat(): Promise<ResourceMetrics> {
    return this.pushOnce().then((r) => r.rm);
  }

  /**
   * Flushes (xuất hết) the metric outputs: one collection pushed to every push output,
   * then each output's own flush.
   * @returns true when every push of THIS collection succeeded.
   */
  async xuat_het(): Promise<boolean> {
    const ok = this.outputs.some((output) => output.xuat !== undefined) ? (await this.pushOnce()).ok : true;
    await Promise.all(this.outputs.map((output) => output.forceFlush?.()));
    return ok;
  }

  /** One collection pushed to every push output; `ok` when every push succeeded. */
  private pushOnce(): Promise<{ rm: ResourceMetrics; ok: boolean }> {
    const p = (async () => {
      const rm = await this.thu_thap();
      const points = countPoints(rm);
      const results = await Promise.all(
        this.outputs.map(async (output) => {
          if (output.xuat === undefined) return true;
          const counts = this.dem.get(output.ten)!;
          let ok = false;
          try {
            // An export must never be traced itself (its HTTP request would
            // become a span, exported in turn: a feedback loop).
            const r = await race_deadline(context.with(suppressTracing(context.active()), () => output.xuat!(rm)), this.options.timeout_ms, false);
            ok = r.kind === 'settled' && r.value;
          } catch (e) {
            ok = false;
            report_failure(`metric output ${output.ten}`, e);
          }
          if (ok) counts.xuat_ok++;
          else {
            counts.xuat_loi++;
            counts.diem_bi_bo += points;
          }
          return ok;
        }),
      );
      return { rm, ok: results.every(Boolean) };
    })();
    this.pushInFlight = p;
    return p.finally(() => {
      if (this.pushInFlight === p) this.pushInFlight = undefined;
    });
  }

  protected override async onForceFlush(): Promise<void> {
    await this.xuat_het();
  }

  protected override async onShutdown(): Promise<void> {
    if (this.pushTimer !== undefined) clearInterval(this.pushTimer);
    this.pushTimer = undefined;
    await Promise.allSettled(this.outputs.map((output) => output.shutdown()));
  }
}
