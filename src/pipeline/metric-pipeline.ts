/**
 * One pipeline: a resource, a MeterProvider with ONE reader, and (for the
 * SDK) a TracerProvider and a LoggerProvider with batch processors. The
 * facades write into it; exporters read out of it.
 */
import { MeterProvider, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Meter, MeterProvider as MeterProviderApi } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { serialize_prometheus_nhuong } from '../../exporters/prometheus/serializer.js';
import type { TuyChonSerializer } from '../core/exposition-options.js';
import { BoDocMetric } from './metric-reader.js';
import { KhoExemplar } from './exemplar-meter.js';
import type { PipelineMetricDich } from '../core/registry.js';

export interface TuyChonPipelineMetric {
  resource: Resource;
  chu_ky_ms: number;
  timeout_ms: number;
  gioi_han_series: number;
}

/** The key of the unfiltered render in the single flight. */
const MAC_DINH = Symbol('tat_ca');

/** The metrics half of a pipeline, shared by the SDK and the embedded form. */
export class PipelineMetric implements PipelineMetricDich {
  readonly resource: Resource;
  readonly bo_doc: BoDocMetric;
  readonly meter_provider: MeterProvider;
  readonly gioi_han_series: number;
  /** `meter_provider` whose histograms keep exemplars (facades and instrumentations use it). */
  readonly meter_exemplar: MeterProviderApi;
  /** Renders in flight, by scope filter (export_prometheus's single flight); text 0.0.4 and OpenMetrics apart. */
  private readonly dangXuat = new Map<unknown, Promise<string>>();
  private readonly dangXuatOm = new Map<unknown, Promise<string>>();

  constructor(t: TuyChonPipelineMetric) {
    this.resource = t.resource;
    this.gioi_han_series = t.gioi_han_series;
    const kho = new KhoExemplar();
    this.bo_doc = new BoDocMetric({ chu_ky_ms: t.chu_ky_ms, timeout_ms: t.timeout_ms, gioi_han_series: t.gioi_han_series, sau_thu_thap: (rm) => kho.gan(rm) });
    this.meter_provider = new MeterProvider({ resource: t.resource, readers: [this.bo_doc] });
    this.meter_exemplar = kho.boc(this.meter_provider);
  }

  layMeter(tenScope: string, phienBan?: string): Meter {
    return this.meter_exemplar.getMeter(tenScope, phienBan);
  }

  /** Collects once and renders Prometheus text (optionally for some scopes only). */
  async export_prometheus(tuy_chon?: TuyChonSerializer): Promise<string> {
    // Single flight: scrapes that arrive while one is collecting and rendering
    // with the same options share its text (30 concurrent scrapes of a large
    // exposition cost one collection and one render, not 30 back to back).
    const khoa = tuy_chon === undefined ? MAC_DINH : tuy_chon.don_vi_co_so === false || tuy_chon.target_info === false ? undefined : (tuy_chon.loc_scope ?? MAC_DINH);
    if (khoa === undefined) return serialize_prometheus_nhuong(await this.bo_doc.thu_thap(), tuy_chon);
    const bang = tuy_chon?.openmetrics === true ? this.dangXuatOm : this.dangXuat;
    let p = bang.get(khoa);
    if (p === undefined) {
      const moi = (async () => serialize_prometheus_nhuong(await this.bo_doc.thu_thap(), tuy_chon))().finally(() => {
        if (bang.get(khoa) === moi) bang.delete(khoa);
      });
      bang.set(khoa, (p = moi));
    }
    return p;
  }

  /** Collects once. */
  thu_thap(): Promise<ResourceMetrics> {
    return this.bo_doc.thu_thap();
  }

  /** Shuts the metrics half down. */
  async dong(): Promise<void> {
    await this.meter_provider.shutdown();
  }
}
