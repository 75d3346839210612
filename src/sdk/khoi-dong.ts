/**
 * `khoi_dong_sdk()` (start the SDK): builds THE pipeline of the process and
 * registers it globally (OTel API providers, AsyncLocalStorage context, W3C
 * trace-context + baggage propagation, node:http instrumentation), then makes
 * it the pipeline every facade writes into.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { context, diag, logs, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation, type HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider, type Sampler, type SpanExporter } from '@opentelemetry/sdk-trace';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import '../../exporters/index.js';
import { tim_exporter } from '../../exporters/registry.js';
import type { DauRaMetric, NguCanhExporter, TinHieu } from '../../exporters/types.js';
import { PrometheusDauRa } from '../../exporters/prometheus/index.js';
import { BoCheKhoaSpan } from './che-khoa-span.js';
import { giai_cau_hinh, type CauHinh, type ChonExporter, type TuyChonSdk } from './cau-hinh.js';
import { PipelineMetric, tao_pipeline_nhung } from './pipeline.js';
import { tao_tai_nguyen } from './tai-nguyen.js';
import { tinh_thong_ke, type ThongKeSdk } from './thong-ke.js';
import { bat_runtime_metrics } from './runtime-metrics.js';
import { BoDemSpanMau } from './exemplar-meter.js';
import { dat_pipeline, dat_tao_mac_dinh, pipeline_hien_tai } from './toan-cuc.js';

dat_tao_mac_dinh(tao_pipeline_nhung);

/** Paths whose requests are not traced by default: probes and scrapes are noise. */
export const DUONG_DAN_BO_QUA = ['/metrics', '/livez', '/readyz', '/healthz', '/startupz', '/v2/health/live', '/v2/health/ready'];

/** What `tat()` reports. */
export interface KetQuaTat {
  /** How long the shutdown took (ms). */
  thoi_gian_ms: number;
  /** True when the bound ran out before every signal was flushed. */
  het_gio: boolean;
}

/** The running SDK (SDK đang chạy). */
export class SdkDangChay extends PipelineMetric {
  readonly cau_hinh: CauHinh;
  readonly tracer_provider: TracerProvider | undefined;
  readonly logger_provider: LoggerProvider | undefined;
  /** The exporter instances, per signal (tests read the memory ones). */
  readonly exporters: { traces: SpanExporter[]; logs: LogRecordExporter[]; metrics: DauRaMetric[] };
  /** The span redaction processor (see `che_khoa`). */
  readonly che_khoa_span: BoCheKhoaSpan;
  private readonly tatInstrumentation: (() => void) | undefined;
  private readonly tatRuntime: (() => void) | undefined;
  private readonly ganXong: Promise<void>;
  private dangTat: Promise<KetQuaTat> | undefined;

  /** @internal use `khoi_dong_sdk()` */
  constructor(c: CauHinh) {
    const resource = tao_tai_nguyen(c);
    super({ resource, chu_ky_ms: c.chu_ky_metrics_ms, timeout_ms: c.timeout_metrics_ms, gioi_han_series: c.gioi_han_series });
    this.cau_hinh = c;
    const ctx: NguCanhExporter = { cau_hinh: c, selfObsMeterProvider: this.meter_provider };

    const tao = <T>(tin_hieu: TinHieu, ds: ChonExporter<T>[]): T[] =>
      ds.map((x) => (typeof x === 'string' ? (tim_exporter(x, tin_hieu)(ctx) as T) : x));
    // Resolve every name first, so a bad one fails before anything is registered.
    const traceEx = tao<SpanExporter>('traces', c.traces);
    const logEx = tao<LogRecordExporter>('logs', c.logs);
    const metricRa = tao<DauRaMetric>('metrics', c.metrics);
    this.exporters = { traces: traceEx, logs: logEx, metrics: metricRa };

    const b = c.bo_xu_ly_spans;
    this.che_khoa_span = new BoCheKhoaSpan(c.che_khoa);
    this.tracer_provider = new TracerProvider({
      resource,
      sampler: taoLayMau(c.lay_mau),
      // Redaction first: no exporting processor ever sees a secret.
      // The sampled-span count keeps exemplar capture free while no span is open.
      spanProcessors: [this.che_khoa_span, new BoDemSpanMau(), ...traceEx.map(
        (exporter) =>
          new BatchSpanProcessor({
            exporter,
            maxQueueSize: b.max_queue_size,
            maxExportBatchSize: b.max_export_batch_size,
            scheduledDelayMillis: b.scheduled_delay_ms,
            exportTimeoutMillis: b.export_timeout_ms,
            selfObsMeterProvider: this.meter_provider,
          }),
      )],
    });
    const l = c.bo_xu_ly_logs;
    this.logger_provider = new LoggerProvider({
      resource,
      processors: logEx.map(
        (exporter) =>
          new BatchLogRecordProcessor({
            exporter,
            maxQueueSize: l.max_queue_size,
            maxExportBatchSize: l.max_export_batch_size,
            scheduledDelayMillis: l.scheduled_delay_ms,
            exportTimeoutMillis: l.export_timeout_ms,
            selfObsMeterProvider: this.meter_provider,
          }),
      ),
    });

    // Global registration: context first, so instrumentations see it.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager());
    propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
    trace.setGlobalTracerProvider(this.tracer_provider);
    logs.setGlobalLoggerProvider(this.logger_provider);
    metrics.setGlobalMeterProvider(this.meter_provider);

    this.tatInstrumentation = c.http === false ? undefined : batHttp(c.http, this);
    this.tatRuntime = c.runtime_node === false ? undefined : bat_runtime_metrics(this.meter_provider, c.runtime_node);

    this.ganXong = Promise.all(metricRa.map((d) => this.bo_doc.them_dau_ra(d))).then(() => undefined);
    this.ganXong.catch((e: unknown) => diag.error('vietnamese-ai-otel: a metric output failed to start', e));
  }

  /** Resolves when every metric output is attached (e.g. the Prometheus endpoint listens); rejects if one failed. */
  san_sang(): Promise<void> {
    return this.ganXong;
  }

  /** The SDK's Prometheus output, if configured. */
  get prometheus(): PrometheusDauRa | undefined {
    return this.exporters.metrics.find((d): d is PrometheusDauRa => d instanceof PrometheusDauRa);
  }

  /** Collects metrics ONCE and pushes that collection to every push output. */
  thu_thap_va_xuat(): Promise<ResourceMetrics> {
    return this.bo_doc.thu_thap_va_xuat();
  }

  /**
   * Exports everything buffered now: spans, log records, and one metric
   * collection. Never rejects because an exporter failed (what it could not
   * deliver is counted, see `thong_ke()`).
   * @returns true when every signal was delivered.
   */
  async flush(): Promise<boolean> {
    const kq = await Promise.allSettled([this.tracer_provider?.forceFlush(), this.logger_provider?.forceFlush()]);
    // After spans and logs, so their self-metrics are in this collection.
    const metricOk = await this.bo_doc.xuat_het().catch(() => false);
    return kq.every((r) => r.status === 'fulfilled') && metricOk;
  }

  /** Delivered and dropped counts per signal (see ThongKeSdk). */
  async thong_ke(): Promise<ThongKeSdk> {
    return tinh_thong_ke(await this.bo_doc.thu_thap(), this.bo_doc.dem);
  }

  /**
   * Shuts down (tắt): flushes every signal, then stops exporters and removes
   * the global registration, all within `thoi_gian_tat_ms`. Idempotent: a
   * second call returns the first call's promise.
   */
  tat(): Promise<KetQuaTat> {
    this.dangTat ??= this.tatMotLan();
    return this.dangTat;
  }

  private async tatMotLan(): Promise<KetQuaTat> {
    const bat_dau = performance.now();
    this.tatInstrumentation?.();
    this.tatRuntime?.();
    let hen: NodeJS.Timeout | undefined;
    const het = new Promise<'het'>((r) => {
      hen = setTimeout(() => r('het'), this.cau_hinh.thoi_gian_tat_ms);
      hen.unref();
    });
    const xong = (async () => {
      await this.flush();
      await Promise.allSettled([this.tracer_provider?.shutdown(), this.logger_provider?.shutdown()]);
      await this.meter_provider.shutdown().catch(() => {});
      return 'xong' as const;
    })();
    const kq = await Promise.race([xong, het]);
    clearTimeout(hen);
    if (pipeline_hien_tai() === this) dat_pipeline(undefined);
    trace.disable();
    logs.disable();
    metrics.disable();
    propagation.disable();
    context.disable();
    return { thoi_gian_ms: performance.now() - bat_dau, het_gio: kq === 'het' };
  }
}

/** The OTel sampler for a configured sampler name. */
function taoLayMau(m: CauHinh['lay_mau']): Sampler {
  const goc = m.loai.endsWith('always_on') ? new AlwaysOnSampler() : m.loai.endsWith('always_off') ? new AlwaysOffSampler() : new TraceIdRatioBasedSampler(m.ty_le);
  return m.loai.startsWith('parentbased_') ? new ParentBasedSampler({ root: goc }) : goc;
}

function batHttp(cfg: HttpInstrumentationConfig, sdk: SdkDangChay): () => void {
  const boQuaCuaNguoiDung = cfg.ignoreIncomingRequestHook;
  const inst = new HttpInstrumentation({
    ...cfg,
    ignoreIncomingRequestHook: (req) => {
      const duong = (req.url ?? '/').split('?')[0] ?? '/';
      if (DUONG_DAN_BO_QUA.includes(duong)) return true;
      return boQuaCuaNguoiDung?.(req) ?? false;
    },
  });
  const tat = registerInstrumentations({
    instrumentations: [inst],
    tracerProvider: sdk.tracer_provider,
    meterProvider: sdk.meter_exemplar, // http.server.request.duration keeps exemplars
  });
  // Core modules may already be loaded: requiring them again passes them
  // through the instrumentation hook, and syncing updates ESM named imports.
  const req = createRequire(import.meta.url);
  req('node:http');
  req('node:https');
  syncBuiltinESMExports();
  return tat;
}

/** The SDK that is running, if any. */
export function sdk_hien_tai(): SdkDangChay | undefined {
  const p = pipeline_hien_tai();
  return p instanceof SdkDangChay ? p : undefined;
}

/**
 * Starts the SDK (khởi động SDK) from options and OTEL_* environment
 * variables (options win). Synchronous, so nothing the app does afterwards
 * escapes it; `san_sang()` waits for network outputs to listen.
 *
 * @throws LoiCauHinh for a malformed option or variable (it names which).
 * @throws Error when an SDK is already running (call `tat()` first).
 * @returns the running SDK, or `undefined` when OTEL_SDK_DISABLED is true
 *   (the facades then keep working on the embedded pipeline).
 */
export function khoi_dong_sdk(tuy_chon?: TuyChonSdk): SdkDangChay | undefined {
  const c = giai_cau_hinh(tuy_chon);
  if (c.tat_sdk) return undefined;
  const cu = pipeline_hien_tai();
  if (cu instanceof SdkDangChay) throw new Error('khoi_dong_sdk: the SDK is already running; call tat() on it first');
  const sdk = new SdkDangChay(c);
  dat_pipeline(sdk);
  // An embedded pipeline made before the SDK is retired: its sources moved.
  if (cu instanceof PipelineMetric) void cu.dong().catch(() => {});
  return sdk;
}
