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
import { thu_thap_nha_san_xuat } from '../core/registry.js';

export interface TuyChonBoDoc {
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

function demDiem(rm: ResourceMetrics): number {
  let n = 0;
  for (const sm of rm.scopeMetrics) for (const m of sm.metrics) n += m.dataPoints.length;
  return n;
}

export class BoDocMetric extends MetricReader implements BoThuThap {
  private readonly dauRa: DauRaMetric[] = [];
  readonly dem = new Map<string, OutputCounts>();
  private hen: NodeJS.Timeout | undefined;
  private dangXuat: Promise<unknown> | undefined;
  /** Ticks skipped because the previous push had not finished. */
  bo_qua = 0;

  constructor(private readonly tuy_chon: TuyChonBoDoc) {
    super({
      aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
      cardinalitySelector: () => tuy_chon.gioi_han_series,
      // Facade-owned aggregations join every collection of this one reader.
      metricProducers: [
        {
          collect: async () => ({
            resourceMetrics: { resource: undefined as never, scopeMetrics: thu_thap_nha_san_xuat(tuy_chon.gioi_han_series) },
            errors: [],
          }),
        },
      ],
    });
  }

  /**
   * Adds an output. Registration is synchronous (a flush right after start
   * already includes it); only attaching a pull output (e.g. listening on a
   * port) is awaited. Push outputs are pushed to on the interval.
   */
  them_dau_ra(d: DauRaMetric): Promise<void> {
    this.dauRa.push(d);
    this.dem.set(d.ten, { xuat_ok: 0, xuat_loi: 0, diem_bi_bo: 0 });
    if (d.xuat !== undefined && d.gan === undefined && this.hen === undefined) {
      this.hen = setInterval(() => {
        if (this.dangXuat !== undefined) {
          this.bo_qua++;
          return;
        }
        void this.thu_thap_va_xuat().catch((e: unknown) => report_failure('periodic metric export', e));
      }, this.tuy_chon.chu_ky_ms);
      this.hen.unref();
    }
    if (d.gan === undefined) return Promise.resolve();
    try {
      return Promise.resolve(d.gan(this));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  get dau_ra(): readonly DauRaMetric[] {
    return this.dauRa;
  }

  /** Collects once (for pull outputs and reads). */
  async thu_thap(): Promise<ResourceMetrics> {
    const { resourceMetrics } = await this.collect();
    // Detectors such as host.id settle asynchronously; readers of the collection read attributes synchronously.
    await resourceMetrics.resource.waitForAsyncAttributes?.();
    this.tuy_chon.sau_thu_thap?.(resourceMetrics);
    return resourceMetrics;
  }

  /**
   * Collects ONCE and hands that same collection to every push output, in
   * parallel, each bounded by the push timeout. Failures are counted per
   * output; the promise never rejects because an output failed.
   */
  thu_thap_va_xuat(): Promise<ResourceMetrics> {
    return this.motLanXuat().then((r) => r.rm);
  }

  /**
   * Flushes the metric outputs: one collection pushed to every push output,
   * then each output's own flush.
   * @returns true when every push of THIS collection succeeded.
   */
  async xuat_het(): Promise<boolean> {
    const ok = this.dauRa.some((d) => d.xuat !== undefined) ? (await this.motLanXuat()).ok : true;
    await Promise.all(this.dauRa.map((d) => d.forceFlush?.()));
    return ok;
  }

  private motLanXuat(): Promise<{ rm: ResourceMetrics; ok: boolean }> {
    const p = (async () => {
      const rm = await this.thu_thap();
      const soDiem = demDiem(rm);
      const kq = await Promise.all(
        this.dauRa.map(async (d) => {
          if (d.xuat === undefined) return true;
          const dem = this.dem.get(d.ten)!;
          let ok = false;
          try {
            // An export must never be traced itself (its HTTP request would
            // become a span, exported in turn: a feedback loop).
            const r = await race_deadline(context.with(suppressTracing(context.active()), () => d.xuat!(rm)), this.tuy_chon.timeout_ms, false);
            ok = r.kind === 'settled' && r.value;
          } catch (e) {
            ok = false;
            report_failure(`metric output ${d.ten}`, e);
          }
          if (ok) dem.xuat_ok++;
          else {
            dem.xuat_loi++;
            dem.diem_bi_bo += soDiem;
          }
          return ok;
        }),
      );
      return { rm, ok: kq.every(Boolean) };
    })();
    this.dangXuat = p;
    return p.finally(() => {
      if (this.dangXuat === p) this.dangXuat = undefined;
    });
  }

  protected override async onForceFlush(): Promise<void> {
    await this.xuat_het();
  }

  protected override async onShutdown(): Promise<void> {
    if (this.hen !== undefined) clearInterval(this.hen);
    this.hen = undefined;
    await Promise.allSettled(this.dauRa.map((d) => d.shutdown()));
  }
}
