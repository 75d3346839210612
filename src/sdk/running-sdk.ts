/**
 * The running SDK (SDK đang chạy): OpenTelemetry's NodeSDK configured with
 * what it cannot build itself (README, "Design note"): the resource, the span
 * processors (redaction first, then batch processors that count their drops),
 * the log record processors and the sampler; NodeSDK registers the providers
 * globally with the context manager and the propagators of OTEL_PROPAGATORS,
 * and applies the span and log record limits of OTEL_*_LIMIT and
 * OTEL_LOG_LEVEL.
 *
 * It HOLDS its metric pipeline (one MeterProvider, one fan-out reader) rather
 * than being one: the pipeline must exist before the processors that record
 * into it, and a pipeline operation can then never shut the pipeline while
 * the SDK stays current.
 */
import { context, diag, DiagConsoleLogger, DiagLogLevel, logs, metrics, propagation, trace, type MeterProvider as MeterProviderApi } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchLogRecordProcessor, type LoggerProvider, type LogRecordExporter, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { MeterProvider, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler, type SpanExporter, type SpanProcessor, type TracerProvider } from '@opentelemetry/sdk-trace';
import '../../exporters/index.js';
import { tim_exporter } from '../../exporters/registry.js';
import type { CauHinhExporter, DauRaMetric, NguCanhExporter, TinHieu } from '../../exporters/types.js';
import { PrometheusDauRa } from '../../exporters/prometheus/index.js';
import type { TuyChonSerializer } from '../core/exposition-options.js';
import { race_deadline } from '../core/deadline.js';
import { set_pipeline, pipeline_hien_tai } from '../core/registry.js';
import { report_failure } from '../core/report.js';
import { SampledSpanCounter } from '../pipeline/exemplar-meter.js';
import { PipelineMetric } from '../pipeline/metric-pipeline.js';
import { create_resource } from '../pipeline/resource.js';
import type { CauHinh, ExporterChoice } from './config.js';
import { ExportAbort } from './export-abort.js';
import { known_drop } from '../http-tracing/dropped-span.js';
import { startInstrumentations } from './instrumentations.js';
import { registered_tracer_provider } from './other-sdk.js';
import { start_runtime_metrics } from './runtime-metrics.js';
import { SpanRedactionProcessor } from './span-redaction.js';
import { compute_stats, type ThongKeSdk } from './stats.js';

/** What `tat()` reports. */
export interface KetQuaTat {
  /** How long the shutdown took (ms). */
  thoi_gian_ms: number;
  /** True when the bound ran out before every signal was flushed. */
  het_gio: boolean;
}

/** The exporter instances of one SDK, per signal. */
interface Exporters {
  traces: SpanExporter[];
  logs: LogRecordExporter[];
  metrics: DauRaMetric[];
}

/** The running SDK (SDK đang chạy); made by `khoi_dong_sdk()`. */
export class SdkDangChay {
  readonly cau_hinh: CauHinh;
  /** The metric pipeline this SDK holds: the current pipeline while it runs. */
  readonly pipeline: PipelineMetric;
  readonly tracer_provider: TracerProvider | undefined;
  readonly logger_provider: LoggerProvider | undefined;
  /** The exporter instances, per signal (tests read the memory ones). */
  readonly exporters: Exporters;
  /** The span redaction processor (see `che_khoa`). */
  readonly che_khoa_span: SpanRedactionProcessor;
  private readonly node: NodeSDK;
  private readonly stopInstrumentations: (() => void) | undefined;
  private readonly stopRuntimeMetrics: (() => void) | undefined;
  private readonly outputsAttached: Promise<void>;
  private shutdown: Promise<KetQuaTat> | undefined;
  /** Cuts exports short at the end of tat(), so nothing of the SDK outlives it. */
  private readonly exportAbort = new ExportAbort();
  /** The counts at the end of tat(), before the reader shut down: what thong_ke() returns after it. */
  private finalStats: ThongKeSdk | undefined;

  /** @internal use `khoi_dong_sdk()` */
  constructor(c: CauHinh) {
    this.cau_hinh = c;
    const resource = create_resource(c);
    this.pipeline = new PipelineMetric({ resource, chu_ky_ms: c.chu_ky_metrics_ms, timeout_ms: c.timeout_metrics_ms, gioi_han_series: c.gioi_han_series });
    const spanProcessors: SpanProcessor[] = [];
    const logRecordProcessors: LogRecordProcessor[] = [];
    // NodeSDK reads logRecordProcessors (by reference) now and the rest in start().
    this.node = new NodeSDK({ resource, autoDetectResources: false, metricReaders: [], spanProcessors, logRecordProcessors, sampler: sampler(c.lay_mau) });
    reportConfigWarnings(c);

    this.exporters = this.buildExporters(c);
    this.che_khoa_span = new SpanRedactionProcessor(c.che_khoa);
    spanProcessors.push(...this.spanProcessors(c));
    logRecordProcessors.push(...this.logProcessors(c));

    // Ours before NodeSDK's start, so instrumentations built then see it.
    metrics.setGlobalMeterProvider(this.pipeline.meter_provider);
    this.node.start();
    // NodeSDK's provider, or none: it registers none with OTEL_SDK_DISABLED in the process
    // environment (it reads that itself), and its registration fails when another copy of the
    // API holds the global (a registration through this copy made khoi_dong_sdk refuse).
    this.tracer_provider = registered_tracer_provider() as TracerProvider | undefined;
    this.logger_provider = logs.getLoggerProvider() as LoggerProvider;

    // Only the provider NodeSDK has just registered carries this configuration's sampler.
    const drop = this.tracer_provider === undefined ? undefined : known_drop(c.lay_mau.loai);
    this.stopInstrumentations = startInstrumentations(c, { tracerProvider: this.tracer_provider ?? trace.getTracerProvider(), meterProvider: this.pipeline.meter_exemplar, drop });
    this.stopRuntimeMetrics = c.runtime_node === false ? undefined : start_runtime_metrics(this.pipeline.meter_provider, c.runtime_node);

    this.outputsAttached = Promise.all(this.exporters.metrics.map((d) => this.pipeline.bo_doc.them_dau_ra(d))).then(() => undefined);
    this.outputsAttached.catch((e: unknown) => diag.error('vietnamese-ai-otel: a metric output failed to start', e));
  }

  /** Exporters named in the configuration come from the registry; each factory sees only the exporters' slice of it. */
  private buildExporters(c: CauHinh): Exporters {
    const slice: CauHinhExporter = { otlp: c.otlp, prometheus: c.prometheus, bien_bi_an: c.bien_bi_an };
    const ctx: NguCanhExporter = { cau_hinh: slice, selfObsMeterProvider: this.pipeline.meter_provider, agent_http: this.exportAbort.agent_http };
    const build = <T>(signal: TinHieu, chosen: ExporterChoice<T>[]): T[] => chosen.map((x) => (typeof x === 'string' ? (tim_exporter(x, signal)(ctx) as T) : x));
    return { traces: build<SpanExporter>('traces', c.traces), logs: build<LogRecordExporter>('logs', c.logs), metrics: build<DauRaMetric>('metrics', c.metrics) };
  }

  /** OTel's batch processor limits, with its self-metrics recorded into this pipeline. */
  private batchLimits(g: CauHinh['bo_xu_ly_spans']) {
    return {
      maxQueueSize: g.max_queue_size,
      maxExportBatchSize: g.max_export_batch_size,
      scheduledDelayMillis: g.scheduled_delay_ms,
      exportTimeoutMillis: g.export_timeout_ms,
      selfObsMeterProvider: this.pipeline.meter_provider,
    };
  }

  /**
   * Redaction first: no exporting processor ever sees a secret. The
   * sampled-span count keeps exemplar capture free while no span is open.
   */
  private spanProcessors(c: CauHinh): SpanProcessor[] {
    const batches = this.exporters.traces.map((exporter) => new BatchSpanProcessor({ exporter: this.exportAbort.wrap_spans(exporter), ...this.batchLimits(c.bo_xu_ly_spans) }));
    return [this.che_khoa_span, new SampledSpanCounter(), ...batches];
  }

  private logProcessors(c: CauHinh): LogRecordProcessor[] {
    return this.exporters.logs.map((exporter) => new BatchLogRecordProcessor({ exporter: this.exportAbort.wrap_logs(exporter), ...this.batchLimits(c.bo_xu_ly_logs) }));
  }

  /** The resource every signal carries. */
  get resource(): Resource {
    return this.pipeline.resource;
  }

  /** The pipeline's MeterProvider (OTel SDK). */
  get meter_provider(): MeterProvider {
    return this.pipeline.meter_provider;
  }

  /** The MeterProvider whose histograms keep exemplars (what the facades and instrumentations use). */
  get meter_exemplar(): MeterProviderApi {
    return this.pipeline.meter_exemplar;
  }

  /** The cardinality limit (max series per metric). */
  get gioi_han_series(): number {
    return this.pipeline.gioi_han_series;
  }

  /** Resolves when every metric output is attached (e.g. the Prometheus endpoint listens); rejects if one failed. */
  san_sang(): Promise<void> {
    return this.outputsAttached;
  }

  /** The SDK's Prometheus output, if configured. */
  get prometheus(): PrometheusDauRa | undefined {
    return this.exporters.metrics.find((d): d is PrometheusDauRa => d instanceof PrometheusDauRa);
  }

  /** Collects once and renders Prometheus text (optionally for some scopes only). */
  export_prometheus(tuy_chon?: TuyChonSerializer): Promise<string> {
    return this.pipeline.export_prometheus(tuy_chon);
  }

  /** Collects once. */
  thu_thap(): Promise<ResourceMetrics> {
    return this.pipeline.thu_thap();
  }

  /** Collects metrics ONCE and pushes that collection to every push output. */
  thu_thap_va_xuat(): Promise<ResourceMetrics> {
    return this.pipeline.bo_doc.thu_thap_va_xuat();
  }

  /**
   * Exports everything buffered now: spans, log records, and one metric
   * collection. Never rejects because an exporter failed (what it could not
   * deliver is counted, see `thong_ke()`).
   * @returns true when every signal was delivered.
   */
  async flush(): Promise<boolean> {
    const settled = await Promise.allSettled([this.tracer_provider?.forceFlush(), this.logger_provider?.forceFlush()]);
    // After spans and logs, so their self-metrics are in this collection.
    const metricsOk = await this.pipeline.bo_doc.xuat_het().catch((e: unknown) => {
      report_failure('flushing metrics', e);
      return false;
    });
    return settled.every((r) => r.status === 'fulfilled') && metricsOk;
  }

  /** Delivered and dropped counts per signal (see ThongKeSdk). */
  async thong_ke(): Promise<ThongKeSdk> {
    if (this.finalStats !== undefined) return this.finalStats;
    return compute_stats(await this.pipeline.bo_doc.thu_thap(), this.pipeline.bo_doc.dem);
  }

  /**
   * Shuts down (tắt): flushes every signal, then stops exporters and removes
   * the global registration, all within `thoi_gian_tat_ms`. Idempotent: a
   * second call returns the first call's promise.
   */
  tat(): Promise<KetQuaTat> {
    this.shutdown ??= this.shutdownOnce();
    return this.shutdown;
  }

  private async shutdownOnce(): Promise<KetQuaTat> {
    const start = performance.now();
    this.exportAbort.begin_shutdown();
    this.stopInstrumentations?.();
    this.stopRuntimeMetrics?.();
    const drained = this.drain();
    const outcome = await race_deadline(drained, this.cau_hinh.thoi_gian_tat_ms, false);
    // Whatever still exports is aborted and counted as dropped; no socket or timer of ours remains.
    await this.exportAbort.abort(drained);
    if (pipeline_hien_tai() === this.pipeline) set_pipeline(undefined);
    trace.disable();
    logs.disable();
    metrics.disable();
    propagation.disable();
    context.disable();
    return { thoi_gian_ms: performance.now() - start, het_gio: outcome.kind === 'timed_out' };
  }

  /** Flush, shut the trace and log pipeline, keep the final counts, shut the meter provider. */
  private async drain(): Promise<'done'> {
    await this.flush();
    await this.node.shutdown().catch((e: unknown) => report_failure('shutting down the trace and log pipeline', e));
    this.finalStats = await this.thong_ke().catch((e: unknown) => {
      report_failure('reading the final statistics', e);
      return undefined;
    });
    await this.pipeline.meter_provider.shutdown().catch((e: unknown) => report_failure('shutting down the meter provider', e));
    return 'done';
  }
}

/**
 * With OTEL_LOG_LEVEL set, NodeSDK has just installed the console diag logger
 * at that level; otherwise warnings and errors still reach the console. Then
 * one warning per bad environment variable.
 */
function reportConfigWarnings(c: CauHinh): void {
  if ((process.env.OTEL_LOG_LEVEL ?? '').trim() === '') diag.setLogger(new DiagConsoleLogger(), { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  for (const w of c.canh_bao) diag.warn(`vietnamese-ai-otel: ${w}`);
}

/** The OTel sampler for a configured sampler name. */
function sampler(m: CauHinh['lay_mau']): Sampler {
  const root = m.loai.endsWith('always_on') ? new AlwaysOnSampler() : m.loai.endsWith('always_off') ? new AlwaysOffSampler() : new TraceIdRatioBasedSampler(m.ty_le);
  return m.loai.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}
