/**
 * Configuration (cấu hình) of the SDK: code options over OTEL_* environment
 * variables, resolved once at start into a plain object.
 *
 * The two sources fail differently, as the OpenTelemetry specification asks
 * (see env-reader.ts): a bad option throws `LoiCauHinh` naming it; a bad
 * environment value is one warning in `canh_bao` and the default.
 * Variables that only OTel's own code reads (span limits, propagators,
 * OTEL_LOG_LEVEL, OTLP timeout/compression/TLS) are left to it; a malformed
 * OTLP header or endpoint variable, which OTel's exporters would read too, is
 * hidden from them (`bien_bi_an`), so it never reaches a request.
 */
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import type { UndiciInstrumentationConfig } from '@opentelemetry/instrumentation-undici';
import type { RuntimeNodeInstrumentationConfig } from '@opentelemetry/instrumentation-runtime-node';
import type { DauRaMetric, DiemOtlp, GiaoThucOtlp, TinHieu, UuTienThoiGian } from '../../exporters/types.js';
import { DETECTOR_NAMES, type DetectorName } from '../pipeline/resource.js';
import { danh_sach_exporter_cho } from '../../exporters/registry.js';
import { BoCheKhoa, KHOA_BI_MAT_MAC_DINH } from '../core/redaction.js';
import { LoiCauHinh } from '../core/config-error.js';
import { booleanValue, codeHeaders, describe, EnvReader, envHeaders, httpUrl, integerIn, oneOf, ratio, Refusal, type Parser } from './env-reader.js';

/** An exporter given by registered name, or as an instance (tests, custom sinks). */
export type ExporterChoice<T> = string | T;

/** Implementations of the HTTP instrumentation (see `instrumentation_http`). */
export type KieuInstrumentationHttp = 'diagnostics_channel' | 'otel';


/** Options of `khoi_dong_sdk()`. Every key is optional; each overrides its environment variable. */
export interface TuyChonSdk {
  /** service.name (OTEL_SERVICE_NAME). */
  ten_dich_vu?: string;
  /** service.version. */
  phien_ban_dich_vu?: string;
  /** Extra resource attributes (merged over OTEL_RESOURCE_ATTRIBUTES). */
  thuoc_tinh?: Record<string, string | number | boolean>;
  /** Trace exporters (OTEL_TRACES_EXPORTER): `otlp`, `zipkin`, `console`, `memory`, `none`, a registered name, or an instance. */
  traces_exporter?: ExporterChoice<SpanExporter> | ExporterChoice<SpanExporter>[];
  /** Metric outputs (OTEL_METRICS_EXPORTER): `otlp`, `prometheus`, `console`, `memory`, `none`, ... */
  metrics_exporter?: ExporterChoice<DauRaMetric> | ExporterChoice<DauRaMetric>[];
  /** Log record exporters (OTEL_LOGS_EXPORTER). */
  logs_exporter?: ExporterChoice<LogRecordExporter> | ExporterChoice<LogRecordExporter>[];
  /** OTLP settings (OTEL_EXPORTER_OTLP_*). */
  otlp?: {
    endpoint?: string;
    traces_endpoint?: string;
    metrics_endpoint?: string;
    logs_endpoint?: string;
    protocol?: GiaoThucOtlp;
    headers?: Record<string, string>;
    timeout_ms?: number;
  };
  /** Prometheus pull endpoint (OTEL_EXPORTER_PROMETHEUS_HOST/PORT). */
  prometheus?: {
    host?: string;
    port?: number;
    /** Serve `/metrics` on host:port. Default: when `prometheus` was named explicitly. */
    phuc_vu?: boolean;
  };
  /** Push interval of metric outputs in ms (OTEL_METRIC_EXPORT_INTERVAL, default 60000). */
  chu_ky_metrics_ms?: number;
  /** Timeout of one metric push in ms (OTEL_METRIC_EXPORT_TIMEOUT, default 30000). */
  timeout_metrics_ms?: number;
  /** Max series per metric before OTel's overflow series (default 2000). */
  gioi_han_series?: number;
  /** Batch processor limits for spans and log records (OTEL_BSP_* / OTEL_BLRP_*). */
  bo_xu_ly?: Partial<GioiHanBoXuLy>;
  /**
   * Instrument node:http / https so requests become spans (default true;
   * OTEL_NODE_DISABLED_INSTRUMENTATIONS=http turns it off from the environment).
   */
  http?: boolean | HttpInstrumentationConfig;
  /**
   * Instrument global `fetch` and undici so outgoing requests become CLIENT
   * spans carrying W3C trace context (default true;
   * OTEL_NODE_DISABLED_INSTRUMENTATIONS=undici turns it off from the environment).
   */
  undici?: boolean | UndiciInstrumentationConfig;
  /**
   * Runtime metrics under semantic-convention names: event-loop delay and
   * utilization, GC, V8 heap per space, process CPU and memory (default true;
   * OTEL_NODE_DISABLED_INSTRUMENTATIONS=runtime-node turns them off from the
   * environment; an object configures @opentelemetry/instrumentation-runtime-node).
   */
  runtime_node?: boolean | RuntimeNodeInstrumentationConfig;
  /**
   * Which implementation traces http and undici (VIETNAMESE_AI_OTEL_HTTP_INSTRUMENTATION):
   * `'diagnostics_channel'` (default), this SDK's lean one on Node's
   * diagnostics_channel events, or `'otel'`, OpenTelemetry's
   * instrumentation-http / instrumentation-undici. A config object given
   * as `http` or `undici` is OTel's, so it selects `'otel'` for that one.
   */
  instrumentation_http?: KieuInstrumentationHttp;
  /** Upper bound of `tat()` in ms (default 5000). */
  thoi_gian_tat_ms?: number;
  /**
   * Trace sampler (lấy mẫu; OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG):
   * `always_on`, `always_off`, `traceidratio`, `parentbased_always_on`,
   * `parentbased_always_off`, `parentbased_traceidratio`, with `ty_le` the
   * ratio in [0, 1]. Default `parentbased_always_on`, or
   * `parentbased_always_off` when no trace exporter is configured (recording
   * spans nobody exports is pure cost; trace ids still propagate and
   * correlate logs).
   */
  lay_mau?: { loai: SamplerName; ty_le?: number };
  /**
   * Secret-looking span attribute keys to redact (che khóa), as terms a key
   * equals or ends with after snake-casing; `false` turns redaction off.
   * Default: LoggerCauTruc's list (password, token, authorization, api_key, secret, cookie, ...).
   */
  che_khoa?: readonly string[] | false;
  /** Disable the SDK (OTEL_SDK_DISABLED). */
  tat_sdk?: boolean;
  /** Environment to read instead of process.env (tests); OTel's own readers (see README) always read process.env. */
  env?: Record<string, string | undefined>;
}


/** The sampler names of the OpenTelemetry specification. */
const SAMPLER_NAMES = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** Limits of one batch processor (span or log record). */
export type GioiHanBoXuLy = Readonly<Record<'max_queue_size' | 'max_export_batch_size' | 'scheduled_delay_ms' | 'export_timeout_ms', number>>;

/** The resolved configuration: what `giai_cau_hinh()` returns (field notes there). */
export type CauHinh = Readonly<ReturnType<typeof giai_cau_hinh>>;

const KNOWN_OPTIONS: Record<string, readonly string[]> = Object.fromEntries(
  Object.entries({
    '': 'ten_dich_vu phien_ban_dich_vu thuoc_tinh traces_exporter metrics_exporter logs_exporter otlp prometheus chu_ky_metrics_ms timeout_metrics_ms gioi_han_series bo_xu_ly http undici runtime_node instrumentation_http thoi_gian_tat_ms che_khoa lay_mau tat_sdk env',
    otlp: 'endpoint traces_endpoint metrics_endpoint logs_endpoint protocol headers timeout_ms',
    prometheus: 'host port phuc_vu',
    bo_xu_ly: 'max_queue_size max_export_batch_size scheduled_delay_ms export_timeout_ms',
    lay_mau: 'loai ty_le',
  }).map(([k, v]) => [k, v.split(' ')]),
);

/**
 * An options object (or a nested one) must be a plain object whose keys are
 * all known: a typo such as `trace_exporter` would otherwise be ignored and
 * the default used without a word. (LoiCauHinh rather than the facades'
 * TypeError: the SDK's options are configuration, named as such.)
 */
function checkObject(x: unknown, path: string): void {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) {
    throw new LoiCauHinh(path === '' ? 'options' : path, `expected an options object, got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`);
  }
  const known = KNOWN_OPTIONS[path];
  if (known === undefined) return;
  for (const k of Object.keys(x)) {
    if (!known.includes(k)) {
      const hint = known.find((b) => b.replace(/_/g, '').startsWith(k.replace(/_/g, '').slice(0, 5)));
      throw new LoiCauHinh(path === '' ? k : `${path}.${k}`, `unknown option${hint !== undefined ? `; did you mean ${JSON.stringify(hint)}?` : ''}`);
    }
  }
}

/** Every options object given, and the string options, checked before anything is read. */
function checkShapes(o: TuyChonSdk): void {
  checkObject(o, '');
  for (const k of ['otlp', 'prometheus', 'bo_xu_ly', 'lay_mau'] as const) if (o[k] !== undefined) checkObject(o[k], k);
  if (o.env !== undefined) checkObject(o.env, 'env');
  for (const k of ['ten_dich_vu', 'phien_ban_dich_vu'] as const) if (o[k] !== undefined && typeof o[k] !== 'string') throw new LoiCauHinh(k, 'expected a string');
}

function resourceAttributes(attrs: unknown): Record<string, string | number | boolean> {
  checkObject(attrs, 'thuoc_tinh');
  for (const [k, v] of Object.entries(attrs as object)) {
    if (!['string', 'boolean'].includes(typeof v) && !Number.isFinite(v)) throw new LoiCauHinh(`thuoc_tinh.${k}`, `a resource attribute must be a string, a finite number or a boolean, got ${v === null ? 'null' : typeof v}`);
  }
  return attrs as Record<string, string | number | boolean>;
}

/** A host name or address to listen on: a non-blank string. */
const hostName: Parser<string> = (x) => (typeof x === 'string' && x.trim() !== '' ? x.trim() : new Refusal(`expected a host name or address, got ${describe(x)}`));

/**
 * The `che_khoa` list, checked here by the redaction rule's own constructor
 * (the one check of it), so a malformed list is a LoiCauHinh naming the
 * option at start, like every other option.
 */
const redactionTerms: Parser<readonly string[] | false> = (x) => {
  try {
    new BoCheKhoa(x as readonly string[] | false);
    return x as readonly string[] | false;
  } catch (e) {
    return new Refusal((e as Error).message.replace(/^che_khoa:?\s*/, ''));
  }
};

const PROTOCOLS = oneOf<GiaoThucOtlp>(['http/protobuf', 'http/json', 'grpc']);

/**
 * Where each signal's OTLP exporter sends, options over OTEL_EXPORTER_OTLP_*.
 * Per the spec a signal endpoint is used as is; over HTTP the shared one
 * gets /v1/<signal>. Headers: shared, then the signal's, then the option's.
 */
function resolveOtlp(r: EnvReader, o: NonNullable<TuyChonSdk['otlp']>) {
  const sharedProtocol = r.read(o.protocol, 'otlp.protocol', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf', PROTOCOLS);
  const sharedEndpoint = r.readShared(o.endpoint, 'otlp.endpoint', 'OTEL_EXPORTER_OTLP_ENDPOINT', httpUrl);
  const sharedHeaders = r.readShared(undefined, '', 'OTEL_EXPORTER_OTLP_HEADERS', envHeaders);
  const codeHeaderValues = r.read(o.headers, 'otlp.headers', undefined, undefined, codeHeaders);
  const endpoint = (signal: TinHieu): DiemOtlp => {
    const S = signal.toUpperCase();
    const own = r.readShared(o[`${signal}_endpoint`], `otlp.${signal}_endpoint`, `OTEL_EXPORTER_OTLP_${S}_ENDPOINT`, httpUrl);
    const ownHeaders = r.readShared(undefined, '', `OTEL_EXPORTER_OTLP_${S}_HEADERS`, envHeaders);
    const protocol = o.protocol ?? r.read(undefined, '', `OTEL_EXPORTER_OTLP_${S}_PROTOCOL`, sharedProtocol, PROTOCOLS);
    const shared = sharedEndpoint === undefined ? undefined : protocol === 'grpc' ? sharedEndpoint : `${sharedEndpoint.replace(/\/+$/, '')}/v1/${signal}`;
    const none = sharedHeaders === undefined && ownHeaders === undefined && codeHeaderValues === undefined;
    return { url: own ?? shared, protocol, headers: none ? undefined : { ...sharedHeaders, ...ownHeaders, ...codeHeaderValues } };
  };
  return {
    traces: endpoint('traces'),
    metrics: endpoint('metrics'),
    logs: endpoint('logs'),
    timeout_ms: r.read(o.timeout_ms, 'otlp.timeout_ms', undefined, undefined, integerIn(1, 3_600_000)),
    temporality: r.read(undefined, '', 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', 'cumulative', oneOf<UuTienThoiGian>(['cumulative', 'delta', 'lowmemory'])),
  };
}

/**
 * An exporter list: names must be registered for the signal; `none` alone
 * means no exporter (beside others it is ignored, as in the spec). From the
 * environment, unknown names are warned about and skipped, and when none is
 * left the default list is used. `explicit`: the list was given, not defaulted.
 */
function exporterList<T>(r: EnvReader, option: T | T[] | undefined, signal: TinHieu, fallback: T[]): { list: T[]; explicit: boolean } {
  const known = [...danh_sach_exporter_cho(signal), 'none'];
  const isKnown = (x: unknown) => typeof x !== 'string' || known.includes(x);
  const unknown = (x: unknown) => `unknown ${signal} exporter ${describe(x)}; known: ${known.join(', ')}`;
  const withoutNone = (list: T[]) => list.filter((x) => x !== 'none');
  if (option !== undefined) {
    const list = Array.isArray(option) ? option : [option];
    const bad = list.find((x) => !isKnown(x));
    if (bad !== undefined) throw new LoiCauHinh(`${signal}_exporter`, unknown(bad));
    return { list: withoutNone(list), explicit: true };
  }
  const variable = `OTEL_${signal.toUpperCase()}_EXPORTER`;
  const names = (r.text(variable)?.split(',') ?? []).map((x) => x.trim()).filter((x) => x !== '') as T[];
  const good = names.filter(isKnown);
  if (names.length === 0) return { list: fallback, explicit: false };
  if (good.length < names.length) {
    const used = r.invalid(variable, unknown(names.filter((x) => !isKnown(x)).join(',')), good.length > 0 ? good : fallback, good.length === 0);
    return { list: withoutNone(used), explicit: good.length > 0 };
  }
  return { list: withoutNone(good), explicit: true };
}

/** Batch processor limits from `bo_xu_ly` over OTEL_BSP_* (spans) or OTEL_BLRP_* (log records). */
function batchLimits(r: EnvReader, b: Partial<GioiHanBoXuLy>, prefix: 'OTEL_BSP' | 'OTEL_BLRP'): GioiHanBoXuLy {
  const int = (k: keyof GioiHanBoXuLy, suffix: string, fallback: number, min: number, max: number) => r.read(b[k], `bo_xu_ly.${k}`, `${prefix}_${suffix}`, fallback, integerIn(min, max));
  const max_queue_size = int('max_queue_size', 'MAX_QUEUE_SIZE', 2048, 1, 10_000_000);
  const batch = int('max_export_batch_size', 'MAX_EXPORT_BATCH_SIZE', 512, 1, 10_000_000);
  const tooLarge = `must not exceed the max queue size (${max_queue_size})`;
  if (batch > max_queue_size && b.max_export_batch_size !== undefined) throw new LoiCauHinh('bo_xu_ly.max_export_batch_size', tooLarge);
  return {
    max_queue_size,
    max_export_batch_size: batch > max_queue_size ? r.invalid(`${prefix}_MAX_EXPORT_BATCH_SIZE`, tooLarge, Math.min(512, max_queue_size)) : batch,
    scheduled_delay_ms: int('scheduled_delay_ms', 'SCHEDULE_DELAY', 1000, 0, 3_600_000),
    export_timeout_ms: int('export_timeout_ms', 'EXPORT_TIMEOUT', 30_000, 1, 3_600_000),
  };
}

/**
 * One instrumentation's setting: `false` (off), or its config. The option
 * (`true`, `false` or a config object) wins over the environment's list of
 * disabled instrumentations.
 */
function instrumentationSetting<T extends object>(v: boolean | T | undefined, name: 'http' | 'undici' | 'runtime_node', configType: string, disabledByEnv: ReadonlySet<string>): false | T {
  if (v !== undefined && typeof v !== 'boolean' && (v === null || typeof v !== 'object' || Array.isArray(v))) {
    throw new LoiCauHinh(name, `expected a boolean or a ${configType} object, got ${JSON.stringify(v)}`);
  }
  // The environment names the instrumentation package (`runtime-node` for the option `runtime_node`).
  if (v === false || (v === undefined && disabledByEnv.has(name.replace('_', '-')))) return false;
  return v === undefined || v === true ? ({} as T) : v;
}

/** The instrumentations: options over OTEL_NODE_DISABLED_INSTRUMENTATIONS (the OTel JS convention). */
function resolveInstrumentations(r: EnvReader, o: TuyChonSdk) {
  const disabled = new Set((r.text('OTEL_NODE_DISABLED_INSTRUMENTATIONS') ?? '').split(',').map((x) => x.trim().replace(/^@opentelemetry\/instrumentation-/, '')));
  return {
    http: instrumentationSetting(o.http, 'http', 'HttpInstrumentationConfig', disabled),
    undici: instrumentationSetting(o.undici, 'undici', 'UndiciInstrumentationConfig', disabled),
    runtime_node: instrumentationSetting(o.runtime_node, 'runtime_node', 'RuntimeNodeInstrumentationConfig', disabled),
    instrumentation_http: r.read<KieuInstrumentationHttp>(o.instrumentation_http, 'instrumentation_http', 'VIETNAMESE_AI_OTEL_HTTP_INSTRUMENTATION', 'diagnostics_channel', oneOf<KieuInstrumentationHttp>(['diagnostics_channel', 'otel'])),
  };
}

/**
 * The sampler from the option, else OTEL_TRACES_SAMPLER(_ARG), else the default.
 * The ratio is checked even when the sampler takes none: a bad value is a mistake either way.
 */
function resolveSampler(r: EnvReader, option: TuyChonSdk['lay_mau'], hasTraceExporter: boolean): { readonly loai: SamplerName; readonly ty_le: number } {
  const variable = (name: string) => (option === undefined ? name : undefined);
  return {
    loai: r.read(option?.loai, 'lay_mau.loai', variable('OTEL_TRACES_SAMPLER'), hasTraceExporter ? 'parentbased_always_on' : 'parentbased_always_off', oneOf(SAMPLER_NAMES)),
    ty_le: r.read(option?.ty_le, 'lay_mau.ty_le', variable('OTEL_TRACES_SAMPLER_ARG'), 1, ratio),
  };
}

/** OTEL_NODE_RESOURCE_DETECTORS (sdk-node's names, `all`, `none`). */
const detectorNames: Parser<DetectorName[] | undefined> = (x) => {
  const names = String(x).split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.includes('all')) return [...DETECTOR_NAMES];
  if (names.includes('none')) return [];
  const bad = names.filter((t) => !(DETECTOR_NAMES as readonly string[]).includes(t));
  return bad.length > 0 ? new Refusal(`unknown or unavailable detector ${describe(bad)}; known: ${DETECTOR_NAMES.join(', ')}, all, none`) : (names as DetectorName[]);
};

/**
 * Resolves options and environment into a `CauHinh`.
 * Defaults follow the embedded mode when no OTLP endpoint is configured:
 * traces to a bounded in-memory buffer, metrics to Prometheus text on demand,
 * no OTel log export (LoggerCauTruc still writes its own lines). With an
 * endpoint configured the defaults become OTLP for all three signals, plus
 * Prometheus text for metrics.
 */
export function giai_cau_hinh(tuy_chon: TuyChonSdk = {}) {
  checkShapes(tuy_chon);
  const r = new EnvReader(tuy_chon.env ?? process.env);
  const tat_sdk = r.read(tuy_chon.tat_sdk, 'tat_sdk', 'OTEL_SDK_DISABLED', false, booleanValue);
  // Read by NodeSDK (an unknown level means info there); checked here so the warning names the variable.
  r.read(undefined, '', 'OTEL_LOG_LEVEL', 'info', oneOf(['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all']));
  const otlp = resolveOtlp(r, tuy_chon.otlp ?? {});
  const traces = exporterList(r, tuy_chon.traces_exporter, 'traces', [otlp.traces.url !== undefined ? 'otlp' : 'memory']);
  const metrics = exporterList(r, tuy_chon.metrics_exporter, 'metrics', otlp.metrics.url !== undefined ? ['prometheus', 'otlp'] : ['prometheus']);
  const logs = exporterList(r, tuy_chon.logs_exporter, 'logs', otlp.logs.url !== undefined ? ['otlp'] : []);
  const p = tuy_chon.prometheus ?? {};
  const b = tuy_chon.bo_xu_ly ?? {};

  return {
    tat_sdk,
    ten_dich_vu: tuy_chon.ten_dich_vu,
    phien_ban_dich_vu: tuy_chon.phien_ban_dich_vu,
    thuoc_tinh: tuy_chon.thuoc_tinh === undefined ? {} : resourceAttributes(tuy_chon.thuoc_tinh),
    /** Resource detectors; `undefined` = this SDK's default set (no command line, see src/pipeline/resource.ts). */
    phat_hien: r.read(undefined, '', 'OTEL_NODE_RESOURCE_DETECTORS', undefined, detectorNames),
    traces: traces.list,
    metrics: metrics.list,
    logs: logs.list,
    otlp,
    prometheus: {
      host: r.read(p.host, 'prometheus.host', 'OTEL_EXPORTER_PROMETHEUS_HOST', 'localhost', hostName),
      port: r.read(p.port, 'prometheus.port', 'OTEL_EXPORTER_PROMETHEUS_PORT', 9464, integerIn(0, 65535)),
      phuc_vu: r.read(p.phuc_vu, 'prometheus.phuc_vu', undefined, metrics.explicit && metrics.list.includes('prometheus'), booleanValue),
    },
    chu_ky_metrics_ms: r.read(tuy_chon.chu_ky_metrics_ms, 'chu_ky_metrics_ms', 'OTEL_METRIC_EXPORT_INTERVAL', 60_000, integerIn(1, 86_400_000)),
    timeout_metrics_ms: r.read(tuy_chon.timeout_metrics_ms, 'timeout_metrics_ms', 'OTEL_METRIC_EXPORT_TIMEOUT', 30_000, integerIn(1, 3_600_000)),
    gioi_han_series: r.read(tuy_chon.gioi_han_series, 'gioi_han_series', undefined, 2000, integerIn(1, 10_000_000)),
    bo_xu_ly_spans: batchLimits(r, b, 'OTEL_BSP'),
    bo_xu_ly_logs: batchLimits(r, b, 'OTEL_BLRP'),
    ...resolveInstrumentations(r, tuy_chon),
    thoi_gian_tat_ms: r.read(tuy_chon.thoi_gian_tat_ms, 'thoi_gian_tat_ms', undefined, 5000, integerIn(1, 600_000)),
    che_khoa: r.read(tuy_chon.che_khoa, 'che_khoa', undefined, KHOA_BI_MAT_MAC_DINH, redactionTerms),
    lay_mau: resolveSampler(r, tuy_chon.lay_mau, traces.list.length > 0),
    /** One warning per bad environment variable (it names the variable, the value and the default used). */
    canh_bao: r.warnings as readonly string[],
    /** Malformed variables that OTel's exporters would read themselves: hidden from them while they are built. */
    bien_bi_an: r.hidden as readonly string[],
  };
}
