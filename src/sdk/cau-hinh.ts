/**
 * Configuration (cấu hình) of the SDK: the OpenTelemetry environment
 * variables, overridden by code options, resolved once at start into a plain
 * object. Every malformed value is a `LoiCauHinh` naming its variable.
 */
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import type { RuntimeNodeInstrumentationConfig } from '@opentelemetry/instrumentation-runtime-node';
import type { DauRaMetric } from '../../exporters/types.js';
import { KHOA_BI_MAT_MAC_DINH } from '../logger/che-khoa.js';
import { LoiCauHinh } from './loi.js';

/** An exporter given by registered name, or as an instance (tests, custom sinks). */
export type ChonExporter<T> = string | T;

/** Options of `khoi_dong_sdk()`. Every key is optional; each overrides its environment variable. */
export interface TuyChonSdk {
  /** service.name (OTEL_SERVICE_NAME). */
  ten_dich_vu?: string;
  /** service.version. */
  phien_ban_dich_vu?: string;
  /** Extra resource attributes (merged over OTEL_RESOURCE_ATTRIBUTES). */
  thuoc_tinh?: Record<string, string | number | boolean>;
  /** Trace exporters (OTEL_TRACES_EXPORTER): `otlp`, `console`, `memory`, `none`, a registered name, or an instance. */
  traces_exporter?: ChonExporter<SpanExporter> | ChonExporter<SpanExporter>[];
  /** Metric outputs (OTEL_METRICS_EXPORTER): `otlp`, `prometheus`, `console`, `memory`, `none`, ... */
  metrics_exporter?: ChonExporter<DauRaMetric> | ChonExporter<DauRaMetric>[];
  /** Log record exporters (OTEL_LOGS_EXPORTER). */
  logs_exporter?: ChonExporter<LogRecordExporter> | ChonExporter<LogRecordExporter>[];
  /** OTLP settings (OTEL_EXPORTER_OTLP_*). */
  otlp?: {
    endpoint?: string;
    traces_endpoint?: string;
    metrics_endpoint?: string;
    logs_endpoint?: string;
    protocol?: 'http/protobuf' | 'http/json';
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
  bo_xu_ly?: {
    max_queue_size?: number;
    max_export_batch_size?: number;
    scheduled_delay_ms?: number;
    export_timeout_ms?: number;
  };
  /**
   * Instrument node:http / https so requests become spans (default true;
   * OTEL_NODE_DISABLED_INSTRUMENTATIONS=http turns it off from the environment).
   */
  http?: boolean | HttpInstrumentationConfig;
  /**
   * Runtime metrics under semantic-convention names: event-loop delay and
   * utilization, GC, V8 heap per space, process CPU and memory (default true;
   * OTEL_NODE_DISABLED_INSTRUMENTATIONS=runtime-node turns them off from the
   * environment; an object configures @opentelemetry/instrumentation-runtime-node).
   */
  runtime_node?: boolean | RuntimeNodeInstrumentationConfig;
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
  lay_mau?: { loai: TenLayMau; ty_le?: number };
  /**
   * Secret-looking span attribute keys to redact (che khóa), as terms a key
   * equals or ends with after snake-casing; `false` turns redaction off.
   * Default: LoggerCauTruc's list (password, token, authorization, api_key, secret, cookie, ...).
   */
  che_khoa?: readonly string[] | false;
  /** Disable the SDK (OTEL_SDK_DISABLED). */
  tat_sdk?: boolean;
  /** Environment to read instead of process.env (tests). */
  env?: Record<string, string | undefined>;
}

export type GiaoThucOtlp = 'http/protobuf' | 'http/json';

export interface DiemOtlp {
  readonly url: string | undefined;
  readonly protocol: GiaoThucOtlp;
}

/** The sampler names of the OpenTelemetry specification. */
export type TenLayMau = 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';
const TEN_LAY_MAU: readonly TenLayMau[] = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];

/** Limits of one batch processor (span or log record). */
export interface GioiHanBoXuLy {
  readonly max_queue_size: number;
  readonly max_export_batch_size: number;
  readonly scheduled_delay_ms: number;
  readonly export_timeout_ms: number;
}

/** The resolved configuration. */
export interface CauHinh {
  readonly tat_sdk: boolean;
  readonly ten_dich_vu: string | undefined;
  readonly phien_ban_dich_vu: string | undefined;
  readonly thuoc_tinh: Record<string, string | number | boolean>;
  readonly traces: ChonExporter<SpanExporter>[];
  readonly metrics: ChonExporter<DauRaMetric>[];
  readonly logs: ChonExporter<LogRecordExporter>[];
  readonly otlp: {
    readonly traces: DiemOtlp;
    readonly metrics: DiemOtlp;
    readonly logs: DiemOtlp;
    readonly headers: Record<string, string> | undefined;
    readonly timeout_ms: number | undefined;
  };
  readonly prometheus: { readonly host: string; readonly port: number; readonly phuc_vu: boolean };
  readonly chu_ky_metrics_ms: number;
  readonly timeout_metrics_ms: number;
  readonly gioi_han_series: number;
  readonly bo_xu_ly_spans: GioiHanBoXuLy;
  readonly bo_xu_ly_logs: GioiHanBoXuLy;
  readonly http: false | HttpInstrumentationConfig;
  readonly runtime_node: false | RuntimeNodeInstrumentationConfig;
  readonly thoi_gian_tat_ms: number;
  readonly che_khoa: readonly string[] | false;
  readonly lay_mau: { readonly loai: TenLayMau; readonly ty_le: number };
}

type Env = Record<string, string | undefined>;

function chuoi(env: Env, bien: string): string | undefined {
  const v = env[bien]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

function boolEnv(env: Env, bien: string): boolean | undefined {
  const v = chuoi(env, bien);
  if (v === undefined) return undefined;
  const t = v.toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  throw new LoiCauHinh(bien, `expected "true" or "false", got ${JSON.stringify(v)}`);
}

function soNguyen(gia_tri: unknown, bien: string, min: number, max: number): number {
  const n = typeof gia_tri === 'string' ? Number(gia_tri) : gia_tri;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new LoiCauHinh(bien, `expected an integer in [${min}, ${max}], got ${typeof gia_tri === 'number' ? String(gia_tri) : JSON.stringify(gia_tri)}`);
  }
  return n;
}

const KHOA_TUY_CHON: Record<string, readonly string[]> = {
  '': [
    'ten_dich_vu', 'phien_ban_dich_vu', 'thuoc_tinh', 'traces_exporter', 'metrics_exporter', 'logs_exporter', 'otlp', 'prometheus',
    'chu_ky_metrics_ms', 'timeout_metrics_ms', 'gioi_han_series', 'bo_xu_ly', 'http', 'runtime_node', 'thoi_gian_tat_ms', 'che_khoa', 'lay_mau', 'tat_sdk', 'env',
  ],
  otlp: ['endpoint', 'traces_endpoint', 'metrics_endpoint', 'logs_endpoint', 'protocol', 'headers', 'timeout_ms'],
  prometheus: ['host', 'port', 'phuc_vu'],
  bo_xu_ly: ['max_queue_size', 'max_export_batch_size', 'scheduled_delay_ms', 'export_timeout_ms'],
  lay_mau: ['loai', 'ty_le'],
};

/**
 * An options object (or a nested one) must be a plain object whose keys are
 * all known: a typo such as `trace_exporter` would otherwise be ignored and
 * the default used without a word.
 */
function kiemTraDoiTuong(x: unknown, duong: string): void {
  const ten = duong === '' ? 'options' : duong;
  if (x === null || typeof x !== 'object' || Array.isArray(x)) {
    throw new LoiCauHinh(ten, `expected an options object, got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`);
  }
  const biet = KHOA_TUY_CHON[duong];
  if (biet === undefined) return;
  for (const k of Object.keys(x)) {
    if (!biet.includes(k)) {
      const goiY = biet.find((b) => b.replace(/_/g, '').startsWith(k.replace(/_/g, '').slice(0, 5)));
      throw new LoiCauHinh(duong === '' ? k : `${duong}.${k}`, `unknown option${goiY !== undefined ? `; did you mean ${JSON.stringify(goiY)}?` : ''}`);
    }
  }
}

/** The sampler from the option, else OTEL_TRACES_SAMPLER(_ARG), else the default. */
function giaiLayMau(opt: { loai: TenLayMau; ty_le?: number } | undefined, env: Env, coExporter: boolean): { loai: TenLayMau; ty_le: number } {
  const bienLoai = opt !== undefined ? 'lay_mau.loai' : 'OTEL_TRACES_SAMPLER';
  const bienTyLe = opt !== undefined ? 'lay_mau.ty_le' : 'OTEL_TRACES_SAMPLER_ARG';
  const loai = opt?.loai ?? (chuoi(env, 'OTEL_TRACES_SAMPLER')?.toLowerCase() as TenLayMau | undefined);
  if (loai === undefined) return { loai: coExporter ? 'parentbased_always_on' : 'parentbased_always_off', ty_le: 1 };
  if (!TEN_LAY_MAU.includes(loai)) throw new LoiCauHinh(bienLoai, `unknown sampler ${JSON.stringify(loai)}; known: ${TEN_LAY_MAU.join(', ')}`);
  const tho = opt?.ty_le ?? chuoi(env, 'OTEL_TRACES_SAMPLER_ARG');
  let ty_le = 1;
  if (tho !== undefined && loai.endsWith('traceidratio')) {
    ty_le = typeof tho === 'number' ? tho : Number(tho);
    if (!Number.isFinite(ty_le) || ty_le < 0 || ty_le > 1) throw new LoiCauHinh(bienTyLe, `expected a ratio in [0, 1], got ${JSON.stringify(tho)}`);
  }
  return { loai, ty_le };
}

function kiemTraThuocTinh(tt: unknown): Record<string, string | number | boolean> {
  kiemTraDoiTuong(tt, 'thuoc_tinh');
  for (const [k, v] of Object.entries(tt as Record<string, unknown>)) {
    const ok = typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
    if (!ok) throw new LoiCauHinh(`thuoc_tinh.${k}`, `a resource attribute must be a string, a finite number or a boolean, got ${v === null ? 'null' : typeof v}`);
  }
  return tt as Record<string, string | number | boolean>;
}

function soTuEnvHoacOption(opt: number | undefined, env: Env, bien: string, macDinh: number, min: number, max: number): number {
  if (opt !== undefined) return soNguyen(opt, bien, min, max);
  const v = chuoi(env, bien);
  return v === undefined ? macDinh : soNguyen(v, bien, min, max);
}

/** Checks an OTLP endpoint: an absolute http(s) URL. */
function kiemTraUrl(url: string | undefined, bien: string): string | undefined {
  if (url === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new LoiCauHinh(bien, `not a valid URL: ${JSON.stringify(url)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new LoiCauHinh(bien, `expected an http:// or https:// URL, got ${JSON.stringify(url)}`);
  }
  return url;
}

function giaoThuc(v: string | undefined, bien: string): GiaoThucOtlp | undefined {
  if (v === undefined) return undefined;
  if (v === 'http/protobuf' || v === 'http/json') return v;
  if (v === 'grpc') throw new LoiCauHinh(bien, 'grpc is not supported; use "http/protobuf" (default) or "http/json"');
  throw new LoiCauHinh(bien, `expected "http/protobuf" or "http/json", got ${JSON.stringify(v)}`);
}

/** Parses OTEL_RESOURCE_ATTRIBUTES (key=value,... with percent-encoding). */
function thuocTinhTuEnv(env: Env): Record<string, string> {
  const v = chuoi(env, 'OTEL_RESOURCE_ATTRIBUTES');
  const out: Record<string, string> = {};
  if (v === undefined) return out;
  for (const cap of v.split(',')) {
    if (cap.trim() === '') continue;
    const i = cap.indexOf('=');
    if (i <= 0) throw new LoiCauHinh('OTEL_RESOURCE_ATTRIBUTES', `expected key=value, got ${JSON.stringify(cap)}`);
    try {
      out[decodeURIComponent(cap.slice(0, i).trim())] = decodeURIComponent(cap.slice(i + 1).trim());
    } catch {
      throw new LoiCauHinh('OTEL_RESOURCE_ATTRIBUTES', `bad percent-encoding in ${JSON.stringify(cap)}`);
    }
  }
  return out;
}

function danhSach<T>(opt: T | T[] | undefined, env: Env, bien: string, macDinh: T[]): { ds: T[]; ro_rang: boolean } {
  let ds: T[];
  let ro_rang = true;
  if (opt !== undefined) ds = Array.isArray(opt) ? opt : [opt];
  else {
    const v = chuoi(env, bien);
    if (v === undefined) {
      ds = macDinh;
      ro_rang = false;
    } else ds = v.split(',').map((s) => s.trim()).filter((s) => s !== '') as T[];
  }
  for (const x of ds) {
    if (typeof x === 'string' && !/^[a-z0-9_.-]+$/i.test(x)) {
      throw new LoiCauHinh(bien, `invalid exporter name ${JSON.stringify(x)}`);
    }
  }
  // "none" alone means no exporter; beside others it is ignored (spec).
  return { ds: ds.filter((x) => x !== 'none'), ro_rang };
}

/**
 * Resolves options and environment into a `CauHinh`.
 * Defaults follow the embedded mode when no OTLP endpoint is configured:
 * traces to a bounded in-memory buffer, metrics to Prometheus text on demand,
 * no OTel log export (LoggerCauTruc still writes its own lines). With an
 * endpoint configured the defaults become OTLP for all three signals, plus
 * Prometheus text for metrics.
 */
export function giai_cau_hinh(tuy_chon: TuyChonSdk = {}): CauHinh {
  kiemTraDoiTuong(tuy_chon, '');
  for (const k of ['otlp', 'prometheus', 'bo_xu_ly', 'lay_mau'] as const) if (tuy_chon[k] !== undefined) kiemTraDoiTuong(tuy_chon[k], k);
  if (tuy_chon.env !== undefined) kiemTraDoiTuong(tuy_chon.env, 'env');
  if (tuy_chon.tat_sdk !== undefined && typeof tuy_chon.tat_sdk !== 'boolean') throw new LoiCauHinh('tat_sdk', 'expected a boolean');
  if (tuy_chon.http !== undefined && typeof tuy_chon.http !== 'boolean' && (tuy_chon.http === null || typeof tuy_chon.http !== 'object' || Array.isArray(tuy_chon.http))) {
    throw new LoiCauHinh('http', `expected a boolean or an HttpInstrumentationConfig object, got ${JSON.stringify(tuy_chon.http)}`);
  }
  const rn = tuy_chon.runtime_node;
  if (rn !== undefined && typeof rn !== 'boolean' && (rn === null || typeof rn !== 'object' || Array.isArray(rn))) {
    throw new LoiCauHinh('runtime_node', `expected a boolean or a RuntimeNodeInstrumentationConfig object, got ${JSON.stringify(rn)}`);
  }
  if (tuy_chon.phien_ban_dich_vu !== undefined && typeof tuy_chon.phien_ban_dich_vu !== 'string') throw new LoiCauHinh('phien_ban_dich_vu', 'expected a string');
  const env: Env = tuy_chon.env ?? process.env;
  const o = tuy_chon.otlp ?? {};

  const tat_sdk = tuy_chon.tat_sdk ?? boolEnv(env, 'OTEL_SDK_DISABLED') ?? false;

  const endpointChung = kiemTraUrl(o.endpoint ?? chuoi(env, 'OTEL_EXPORTER_OTLP_ENDPOINT'), o.endpoint !== undefined ? 'otlp.endpoint' : 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const protoChung = giaoThuc(o.protocol ?? chuoi(env, 'OTEL_EXPORTER_OTLP_PROTOCOL'), 'OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';

  const diem = (signal: 'traces' | 'metrics' | 'logs'): DiemOtlp => {
    const S = signal.toUpperCase();
    const rieng = o[`${signal}_endpoint`] ?? chuoi(env, `OTEL_EXPORTER_OTLP_${S}_ENDPOINT`);
    const bien = o[`${signal}_endpoint`] !== undefined ? `otlp.${signal}_endpoint` : `OTEL_EXPORTER_OTLP_${S}_ENDPOINT`;
    // Per the spec a signal endpoint is used as is; the shared one gets /v1/<signal>.
    const url = rieng !== undefined ? kiemTraUrl(rieng, bien) : endpointChung !== undefined ? `${endpointChung.replace(/\/+$/, '')}/v1/${signal}` : undefined;
    const protocol = giaoThuc(chuoi(env, `OTEL_EXPORTER_OTLP_${S}_PROTOCOL`), `OTEL_EXPORTER_OTLP_${S}_PROTOCOL`) ?? protoChung;
    return { url, protocol: o.protocol ?? protocol };
  };
  const otlp = { traces: diem('traces'), metrics: diem('metrics'), logs: diem('logs') };
  const coOtlp = (d: DiemOtlp) => d.url !== undefined;

  const traces = danhSach(tuy_chon.traces_exporter, env, 'OTEL_TRACES_EXPORTER', [coOtlp(otlp.traces) ? 'otlp' : 'memory']);
  const metrics = danhSach(tuy_chon.metrics_exporter, env, 'OTEL_METRICS_EXPORTER', coOtlp(otlp.metrics) ? ['prometheus', 'otlp'] : ['prometheus']);
  const logs = danhSach(tuy_chon.logs_exporter, env, 'OTEL_LOGS_EXPORTER', coOtlp(otlp.logs) ? ['otlp'] : []);

  const p = tuy_chon.prometheus ?? {};
  const host = p.host ?? chuoi(env, 'OTEL_EXPORTER_PROMETHEUS_HOST') ?? 'localhost';
  const port = p.port !== undefined ? soNguyen(p.port, 'prometheus.port', 0, 65535) : soTuEnvHoacOption(undefined, env, 'OTEL_EXPORTER_PROMETHEUS_PORT', 9464, 0, 65535);
  const promRoRang = metrics.ro_rang && metrics.ds.includes('prometheus');

  const b = tuy_chon.bo_xu_ly ?? {};
  const boXuLy = (tienTo: 'OTEL_BSP' | 'OTEL_BLRP') => {
    const r = {
      max_queue_size: soTuEnvHoacOption(b.max_queue_size, env, `${tienTo}_MAX_QUEUE_SIZE`, 2048, 1, 10_000_000),
      max_export_batch_size: soTuEnvHoacOption(b.max_export_batch_size, env, `${tienTo}_MAX_EXPORT_BATCH_SIZE`, 512, 1, 10_000_000),
      scheduled_delay_ms: soTuEnvHoacOption(b.scheduled_delay_ms, env, `${tienTo}_SCHEDULE_DELAY`, 1000, 0, 3_600_000),
      export_timeout_ms: soTuEnvHoacOption(b.export_timeout_ms, env, `${tienTo}_EXPORT_TIMEOUT`, 30_000, 1, 3_600_000),
    };
    if (r.max_export_batch_size > r.max_queue_size) {
      throw new LoiCauHinh(`${tienTo}_MAX_EXPORT_BATCH_SIZE`, `must not exceed the max queue size (${r.max_queue_size})`);
    }
    return r;
  };

  // OTEL_NODE_DISABLED_INSTRUMENTATIONS (the OTel JS convention) turns the
  // HTTP and runtime instrumentations off from the environment; the option wins.
  const tatTuEnv = (chuoi(env, 'OTEL_NODE_DISABLED_INSTRUMENTATIONS') ?? '')
    .split(',')
    .map((x) => x.trim().replace(/^@opentelemetry\/instrumentation-/, ''));
  const bat = <C extends object>(v: boolean | C | undefined, ten: string): false | C => {
    if (v === false || (v === undefined && tatTuEnv.includes(ten))) return false;
    return v === undefined || v === true ? ({} as C) : v;
  };
  const http = bat(tuy_chon.http, 'http');
  const runtime_node = bat(rn, 'runtime-node');

  const thuoc_tinh: Record<string, string | number | boolean> = {
    ...thuocTinhTuEnv(env),
    ...(tuy_chon.thuoc_tinh === undefined ? {} : kiemTraThuocTinh(tuy_chon.thuoc_tinh)),
  };
  const ten_dich_vu = tuy_chon.ten_dich_vu ?? chuoi(env, 'OTEL_SERVICE_NAME');
  if (ten_dich_vu !== undefined && typeof ten_dich_vu !== 'string') throw new LoiCauHinh('ten_dich_vu', 'expected a string');

  return {
    tat_sdk,
    ten_dich_vu,
    phien_ban_dich_vu: tuy_chon.phien_ban_dich_vu,
    thuoc_tinh,
    traces: traces.ds,
    metrics: metrics.ds,
    logs: logs.ds,
    otlp: { ...otlp, headers: o.headers, timeout_ms: o.timeout_ms },
    prometheus: { host, port, phuc_vu: p.phuc_vu ?? promRoRang },
    chu_ky_metrics_ms: soTuEnvHoacOption(tuy_chon.chu_ky_metrics_ms, env, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000, 1, 86_400_000),
    timeout_metrics_ms: soTuEnvHoacOption(tuy_chon.timeout_metrics_ms, env, 'OTEL_METRIC_EXPORT_TIMEOUT', 30_000, 1, 3_600_000),
    gioi_han_series: soNguyen(tuy_chon.gioi_han_series ?? 2000, 'gioi_han_series', 1, 10_000_000),
    bo_xu_ly_spans: boXuLy('OTEL_BSP'),
    bo_xu_ly_logs: boXuLy('OTEL_BLRP'),
    http,
    runtime_node,
    thoi_gian_tat_ms: soNguyen(tuy_chon.thoi_gian_tat_ms ?? 5000, 'thoi_gian_tat_ms', 1, 600_000),
    che_khoa: tuy_chon.che_khoa ?? KHOA_BI_MAT_MAC_DINH,
    lay_mau: giaiLayMau(tuy_chon.lay_mau, env, traces.ds.length > 0),
  };
}
