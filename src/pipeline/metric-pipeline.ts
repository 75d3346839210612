/**
 * One pipeline: a resource, a MeterProvider with ONE reader, and (for the
 * SDK) a TracerProvider and a LoggerProvider with batch processors. The
 * facades write into it; exporters read out of it.
 */
import { MeterProvider, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Meter, MeterProvider as MeterProviderApi } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { serialize_prometheus_yielding } from '../../exporters/prometheus/serializer.js';
import type { TuyChonSerializer } from '../core/exposition-options.js';
import { BoDocMetric } from './metric-reader.js';
import { ExemplarStore } from './exemplar-meter.js';
import type { RegistryPipeline } from '../core/registry.js';

/** The options of `new PipelineMetric()` (option names are API). */
export interface PipelineMetricOptions {
  resource: Resource;
  /** Push interval (ms). */
  chu_ky_ms: number;
  /** Timeout of one push to one output (ms). */
  timeout_ms: number;
  /** Max series per metric (OTel's cardinality limit). */
  gioi_han_series: number;
}

/** The single-flight key of an unfiltered render. */
const ALL_SCOPES = Symbol('tat_ca');

/** The metrics half of a pipeline, shared by the SDK and the embedded form. */
export class PipelineMetric implements RegistryPipeline {
  readonly resource: Resource;
  /** The one metric reader (bộ đọc). */
  readonly bo_doc: BoDocMetric;
  readonly meter_provider: MeterProvider;
  readonly gioi_han_series: number;
  /** `meter_provider` whose histograms keep exemplars (facades and instrumentations use it). */
  readonly meter_exemplar: MeterProviderApi;
  /** Renders in flight, by scope filter (export_prometheus's single flight); text 0.0.4 and OpenMetrics apart. */
  private readonly rendersInFlight = new Map<unknown, Promise<string>>();
  private readonly openMetricsRendersInFlight = new Map<unknown, Promise<string>>();

  constructor(options: PipelineMetricOptions) {
    this.resource = options.resource;
    this.gioi_han_series = options.gioi_han_series;
    const exemplars = new ExemplarStore();
    this.bo_doc = new BoDocMetric({ chu_ky_ms: options.chu_ky_ms, timeout_ms: options.timeout_ms, gioi_han_series: options.gioi_han_series, sau_thu_thap: (rm) => exemplars.attach(rm) });
    this.meter_provider = new MeterProvider({ resource: options.resource, readers: [this.bo_doc] });
    this.meter_exemplar = exemplars.wrap(this.meter_provider);
  }

  /** A meter (lấy meter: get meter) of this pipeline whose histograms keep exemplars. */
  layMeter(scope: string, version?: string): Meter {
    return this.meter_exemplar.getMeter(scope, version);
  }

  /** Collects once and renders Prometheus text (optionally for some scopes only). */
  async export_prometheus(options?: TuyChonSerializer): Promise<string> {
    // Single flight: scrapes that arrive while one is collecting and rendering
    // with the same options share its text (30 concurrent scrapes of a large
    // exposition cost one collection and one render, not 30 back to back).
    // The key is the scope filter alone, so a render with other non-default options is never shared.
    const key = options === undefined ? ALL_SCOPES : options.don_vi_co_so === false || options.target_info === false ? undefined : (options.loc_scope ?? ALL_SCOPES);
    if (key === undefined) return serialize_prometheus_yielding(await this.bo_doc.thu_thap(), options);
    const inFlight = options?.openmetrics === true ? this.openMetricsRendersInFlight : this.rendersInFlight;
    let render = inFlight.get(key);
    if (render === undefined) {
      const started = (async () => serialize_prometheus_yielding(await this.bo_doc.thu_thap(), options))().finally(() => {
        if (inFlight.get(key) === started) inFlight.delete(key);
      });
      inFlight.set(key, (render = started));
    }
    return render;
  }

  /** Collects once (thu thập). */
  thu_thap(): Promise<ResourceMetrics> {
    return this.bo_doc.thu_thap();
  }

  /** Shuts the metrics half down (đóng: close). */
  async dong(): Promise<void> {
    await this.meter_provider.shutdown();
  }
}
