/**
 * `khoi_dong_sdk()` (start the SDK): builds THE pipeline of the process on
 * OpenTelemetry's NodeSDK and makes it the pipeline every facade writes into.
 *
 * It adds the node:http and fetch/undici instrumentations. NodeSDK registers the providers globally with the context manager and the
 * propagators of OTEL_PROPAGATORS, and applies the span and log record limits
 * of OTEL_*_LIMIT and OTEL_LOG_LEVEL. This SDK hands it what NodeSDK cannot
 * build itself (README, "Design note"): the resource, the span processors
 * (redaction first, then batch processors that count their drops), the log
 * record processors and the sampler; and it keeps its own MeterProvider with
 * the one fan-out reader, which must exist before the processors that record
 * into it and outlives any SDK (the embedded pipeline).
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { context, diag, DiagConsoleLogger, DiagLogLevel, logs, metrics, propagation, trace, type ProxyTracerProvider } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation, type HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchLogRecordProcessor, type LoggerProvider, type LogRecordExporter, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler, type SpanExporter, type SpanProcessor, type TracerProvider } from '@opentelemetry/sdk-trace';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import '../../exporters/index.js';
import { tim_exporter } from '../../exporters/registry.js';
import type { DauRaMetric, NguCanhExporter, TinHieu } from '../../exporters/types.js';
import { PrometheusDauRa } from '../../exporters/prometheus/index.js';
import { startHttpTracing } from '../http-tracing/index.js';
import { BoCheKhoaSpan } from './span-redaction.js';
import { race_deadline } from '../core/deadline.js';
import { report_failure } from '../core/report.js';
import { HuyXuat } from './export-abort.js';
import { giai_cau_hinh, type CauHinh, type ChonExporter, type TuyChonSdk } from './config.js';
import { LoiCauHinh } from '../core/config-error.js';
import { PipelineMetric, tao_pipeline_nhung } from '../pipeline/metric-pipeline.js';
import { sdk_khac_da_dang_ky } from './other-sdk.js';
import { tao_tai_nguyen } from '../pipeline/resource.js';
import { tinh_thong_ke, type ThongKeSdk } from './stats.js';
import { bat_runtime_metrics } from './runtime-metrics.js';
import { BoDemSpanMau } from '../pipeline/exemplar-meter.js';
import { dat_pipeline, dat_tao_mac_dinh, pipeline_hien_tai } from '../core/registry.js';

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
  private readonly node: NodeSDK;
  private readonly tatInstrumentation: (() => void) | undefined;
  private readonly tatRuntime: (() => void) | undefined;
  private readonly ganXong: Promise<void>;
  private dangTat: Promise<KetQuaTat> | undefined;
  /** Cuts exports short at the end of tat(), so nothing of the SDK outlives it. */
  private readonly huyXuat = new HuyXuat();
  /** The counts at the end of tat(), before the reader shut down: what thong_ke() returns after it. */
  private thongKeCuoi: ThongKeSdk | undefined;

  /** @internal use `khoi_dong_sdk()` */
  constructor(c: CauHinh) {
    const resource = tao_tai_nguyen(c);
    super({ resource, chu_ky_ms: c.chu_ky_metrics_ms, timeout_ms: c.timeout_metrics_ms, gioi_han_series: c.gioi_han_series });
    this.cau_hinh = c;
    const spanProcessors: SpanProcessor[] = [];
    const logRecordProcessors: LogRecordProcessor[] = [];
    // NodeSDK reads logRecordProcessors (by reference) now and the rest in start().
    this.node = new NodeSDK({ resource, autoDetectResources: false, metricReaders: [], spanProcessors, logRecordProcessors, sampler: taoLayMau(c.lay_mau) });
    // With OTEL_LOG_LEVEL set, NodeSDK has just installed the console diag
    // logger at that level; otherwise warnings and errors still reach the console.
    if ((process.env.OTEL_LOG_LEVEL ?? '').trim() === '') diag.setLogger(new DiagConsoleLogger(), { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    for (const w of c.canh_bao) diag.warn(`vietnamese-ai-otel: ${w}`);

    const ctx: NguCanhExporter = { cau_hinh: c, selfObsMeterProvider: this.meter_provider, agent_http: this.huyXuat.agent_http };
    const tao = <T>(tin_hieu: TinHieu, ds: ChonExporter<T>[]): T[] =>
      ds.map((x) => (typeof x === 'string' ? (tim_exporter(x, tin_hieu)(ctx) as T) : x));
    const traceEx = tao<SpanExporter>('traces', c.traces);
    const logEx = tao<LogRecordExporter>('logs', c.logs);
    const metricRa = tao<DauRaMetric>('metrics', c.metrics);
    this.exporters = { traces: traceEx, logs: logEx, metrics: metricRa };

    const gioiHan = (g: CauHinh['bo_xu_ly_spans']) => ({
      maxQueueSize: g.max_queue_size,
      maxExportBatchSize: g.max_export_batch_size,
      scheduledDelayMillis: g.scheduled_delay_ms,
      exportTimeoutMillis: g.export_timeout_ms,
      selfObsMeterProvider: this.meter_provider,
    });
    this.che_khoa_span = new BoCheKhoaSpan(c.che_khoa);
    // Redaction first: no exporting processor ever sees a secret. The
    // sampled-span count keeps exemplar capture free while no span is open.
    spanProcessors.push(this.che_khoa_span, new BoDemSpanMau(), ...traceEx.map((exporter) => new BatchSpanProcessor({ exporter: this.huyXuat.bao_span(exporter), ...gioiHan(c.bo_xu_ly_spans) })));
    logRecordProcessors.push(...logEx.map((exporter) => new BatchLogRecordProcessor({ exporter: this.huyXuat.bao_log(exporter), ...gioiHan(c.bo_xu_ly_logs) })));

    // Ours before NodeSDK's start, so instrumentations built then see it.
    metrics.setGlobalMeterProvider(this.meter_provider);
    this.node.start();
    this.tracer_provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as TracerProvider;
    this.logger_provider = logs.getLoggerProvider() as LoggerProvider;

    this.tatInstrumentation = batInstrumentation(c, this);
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
    const metricOk = await this.bo_doc.xuat_het().catch((e: unknown) => {
      report_failure('flushing metrics', e);
      return false;
    });
    return kq.every((r) => r.status === 'fulfilled') && metricOk;
  }

  /** Delivered and dropped counts per signal (see ThongKeSdk). */
  async thong_ke(): Promise<ThongKeSdk> {
    if (this.thongKeCuoi !== undefined) return this.thongKeCuoi;
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
    this.huyXuat.bat_dau_tat();
    this.tatInstrumentation?.();
    this.tatRuntime?.();
    const xong = (async () => {
      await this.flush();
      await this.node.shutdown().catch((e: unknown) => report_failure('shutting down the trace and log pipeline', e));
      this.thongKeCuoi = await this.thong_ke().catch((e: unknown) => {
        report_failure('reading the final statistics', e);
        return undefined;
      });
      await this.meter_provider.shutdown().catch((e: unknown) => report_failure('shutting down the meter provider', e));
      return 'xong' as const;
    })();
    const kq = await race_deadline(xong, this.cau_hinh.thoi_gian_tat_ms, false);
    // Whatever still exports is aborted and counted as dropped; no socket or timer of ours remains.
    await this.huyXuat.huy(xong);
    if (pipeline_hien_tai() === this) dat_pipeline(undefined);
    trace.disable();
    logs.disable();
    metrics.disable();
    propagation.disable();
    context.disable();
    return { thoi_gian_ms: performance.now() - bat_dau, het_gio: kq.kind === 'timed_out' };
  }
}

/** The OTel sampler for a configured sampler name. */
function taoLayMau(m: CauHinh['lay_mau']): Sampler {
  const goc = m.loai.endsWith('always_on') ? new AlwaysOnSampler() : m.loai.endsWith('always_off') ? new AlwaysOffSampler() : new TraceIdRatioBasedSampler(m.ty_le);
  return m.loai.startsWith('parentbased_') ? new ParentBasedSampler({ root: goc }) : goc;
}

/**
 * Registers the instrumentations the SDK owns: node:http/https (incoming and
 * outgoing) and undici, which is also Node's global `fetch`. By default this
 * SDK's lean diagnostics_channel instrumentation (src/http-tracing) traces
 * both; `instrumentation_http: 'otel'`, or an OTel config object for `http`
 * or `undici`, selects OpenTelemetry's for that one. Either way the spans go
 * through this SDK's TracerProvider, hence through the same URL redaction.
 */
function batInstrumentation(c: CauHinh, sdk: SdkDangChay): (() => void) | undefined {
  const otel = (v: false | object): boolean => v !== false && (c.instrumentation_http === 'otel' || Object.keys(v).length > 0);
  const httpOtel = otel(c.http);
  const undiciOtel = otel(c.undici);
  const leanHttp = c.http !== false && !httpOtel;
  const leanUndici = c.undici !== false && !undiciOtel;
  const tatGon =
    leanHttp || leanUndici
      ? startHttpTracing({ tracerProvider: sdk.tracer_provider ?? trace.getTracerProvider(), meterProvider: sdk.meter_exemplar, http: leanHttp, undici: leanUndici, ignore: (p) => DUONG_DAN_BO_QUA.includes(p) })
      : undefined;
  const instrumentations = [];
  if (httpOtel && c.http !== false) instrumentations.push(taoHttp(c.http));
  if (undiciOtel && c.undici !== false) instrumentations.push(new UndiciInstrumentation(c.undici));
  if (instrumentations.length === 0) return tatGon;
  const tat = registerInstrumentations({
    instrumentations,
    tracerProvider: sdk.tracer_provider,
    meterProvider: sdk.meter_exemplar, // request durations keep exemplars
  });
  if (httpOtel) {
    // Core modules may already be loaded: requiring them again passes them
    // through the instrumentation hook, and syncing updates ESM named imports.
    const req = createRequire(import.meta.url);
    req('node:http');
    req('node:https');
    syncBuiltinESMExports();
  }
  return () => {
    tatGon?.();
    tat();
  };
}

function taoHttp(cfg: HttpInstrumentationConfig): HttpInstrumentation {
  const boQuaCuaNguoiDung = cfg.ignoreIncomingRequestHook;
  return new HttpInstrumentation({
    ...cfg,
    ignoreIncomingRequestHook: (req) => {
      const duong = (req.url ?? '/').split('?')[0] ?? '/';
      if (DUONG_DAN_BO_QUA.includes(duong)) return true;
      return boQuaCuaNguoiDung?.(req) ?? false;
    },
  });
}

/** The SDK that is running, if any. */
export function sdk_hien_tai(): SdkDangChay | undefined {
  const p = pipeline_hien_tai();
  return p instanceof SdkDangChay ? p : undefined;
}

/**
 * Starts the SDK (khởi động SDK) from options and OTEL_* environment
 * variables (options win). Synchronous, so nothing the app does afterwards
 * escapes it; `san_sang()` waits for network outputs to listen. A bad
 * environment value is a diag warning and its default, never an error.
 *
 * @throws LoiCauHinh for a malformed option (it names which), or when another
 *   OpenTelemetry SDK is already registered (use `tao_metric_producer()` in it).
 * @throws Error when this SDK is already running (call `tat()` first).
 * @returns the running SDK, or `undefined` when OTEL_SDK_DISABLED is true
 *   (the facades then keep working on the embedded pipeline).
 */
export function khoi_dong_sdk(tuy_chon?: TuyChonSdk): SdkDangChay | undefined {
  const c = giai_cau_hinh(tuy_chon);
  if (c.tat_sdk) return undefined;
  const cu = pipeline_hien_tai();
  if (cu instanceof SdkDangChay) throw new Error('khoi_dong_sdk: the SDK is already running; call tat() on it first');
  const khac = sdk_khac_da_dang_ky();
  if (khac.length > 0) {
    throw new LoiCauHinh(
      'khoi_dong_sdk',
      `another OpenTelemetry SDK is already registered (${khac.join(', ')}); two pipelines would fight over every span. ` +
        'Keep yours and add the facades\' metrics to it with tao_metric_producer() (README, "Using your own NodeSDK"), or start this SDK instead of it',
    );
  }
  const sdk = new SdkDangChay(c);
  dat_pipeline(sdk);
  // An embedded pipeline made before the SDK is retired: its sources moved.
  if (cu instanceof PipelineMetric) void cu.dong().catch((e: unknown) => report_failure('closing the embedded metric pipeline', e));
  return sdk;
}
