/**
 * Configuration (cấu hình) of the SDK: code options over OTEL_* environment
 * variables, resolved once at start into a plain object.
 *
 * The two sources fail differently, as the OpenTelemetry specification asks:
 * a bad option is a programmer's mistake and throws `LoiCauHinh` naming the
 * option; a bad environment value is an operator's, so it becomes one
 * warning (variable, value, default used) in `canh_bao` and the default.
 * Variables that only OTel's own code reads (span limits, propagators,
 * OTEL_LOG_LEVEL, OTLP timeout/compression/TLS) are left to it; a malformed
 * OTLP header or endpoint variable, which OTel's exporters would read too, is
 * hidden from them (`bien_bi_an`), so it never reaches a request.
 */
import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import type { UndiciInstrumentationConfig } from '@opentelemetry/instrumentation-undici';
import type { RuntimeNodeInstrumentationConfig } from '@opentelemetry/instrumentation-runtime-node';
import type { DauRaMetric, DiemOtlp, GiaoThucOtlp, TinHieu, UuTienThoiGian } from '../../exporters/types.js';
import { TEN_PHAT_HIEN, type TenPhatHien } from '../pipeline/resource.js';
import { danh_sach_exporter_cho } from '../../exporters/registry.js';
import { KHOA_BI_MAT_MAC_DINH } from '../core/redaction.js';
import { LoiCauHinh } from '../core/config-error.js';

/** An exporter given by registered name, or as an instance (tests, custom sinks). */
export type ChonExporter<T> = string | T;

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
  lay_mau?: { loai: TenLayMau; ty_le?: number };
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
const TEN_LAY_MAU = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type TenLayMau = (typeof TEN_LAY_MAU)[number];



/** Limits of one batch processor (span or log record). */
export type GioiHanBoXuLy = Readonly<Record<'max_queue_size' | 'max_export_batch_size' | 'scheduled_delay_ms' | 'export_timeout_ms', number>>;

/** The resolved configuration: what `giai_cau_hinh()` returns (field notes there). */
export type CauHinh = Readonly<ReturnType<typeof giai_cau_hinh>>;

type Env = Record<string, string | undefined>;

/** Why a value was refused (parsers return it instead of throwing, so each source can fail its own way). */
class Sai {
  constructor(readonly ly_do: string) {}
}
type Doc<T> = (v: unknown) => T | Sai;

const moTa = (x: unknown): string => (typeof x === 'string' ? JSON.stringify(x) : Array.isArray(x) ? JSON.stringify(x.join(',')) : String(x));

/** The environment side: reads trimmed values and turns bad ones into one warning each. */
class DocEnv {
  readonly canh_bao: string[] = [];
  readonly bi_an: string[] = [];
  constructor(private readonly env: Env) {}

  chuoi(bien: string): string | undefined {
    const v = this.env[bien]?.trim();
    return v === undefined || v === '' ? undefined : v;
  }

  hong<T>(bien: string, ly_do: string, dung: T, la_mac_dinh = true): T {
    this.canh_bao.push(`${bien}=${JSON.stringify(this.env[bien])} is invalid (${ly_do}); using ${la_mac_dinh ? 'the default ' : ''}${dung === undefined ? '(none)' : moTa(dung)}`);
    return dung;
  }

  /** The option if given (a bad one throws naming it), else the variable (a bad one warns), else the default. */
  lay<T>(opt: unknown, ten_opt: string, bien: string | undefined, mac_dinh: T, doc: Doc<T>): T {
    if (opt !== undefined) {
      const v = doc(opt);
      if (v instanceof Sai) throw new LoiCauHinh(ten_opt, v.ly_do);
      return v;
    }
    const tho = bien === undefined ? undefined : this.chuoi(bien);
    if (tho === undefined) return mac_dinh;
    const v = doc(tho);
    return v instanceof Sai ? this.hong(bien!, v.ly_do, mac_dinh) : v;
  }
}

const soNguyen = (min: number, max: number): Doc<number> => (x) => {
  const n = typeof x === 'string' ? Number(x) : x;
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : new Sai(`expected an integer in [${min}, ${max}], got ${moTa(x)}`);
};
const boolDoc: Doc<boolean> = (x) => {
  if (typeof x === 'boolean') return x;
  const t = typeof x === 'string' ? x.toLowerCase() : undefined;
  return t === 'true' ? true : t === 'false' ? false : new Sai(`expected true or false, got ${moTa(x)}`);
};
const motTrong = <T extends string>(ds: readonly T[]): Doc<T> => (x) =>
  typeof x === 'string' && ds.includes(x.toLowerCase() as T) ? (x.toLowerCase() as T) : new Sai(`expected one of ${ds.join(', ')}, got ${moTa(x)}`);
const urlDoc: Doc<string> = (x) => {
  try {
    if (typeof x === 'string' && /^https?:$/.test(new URL(x).protocol)) return x;
  } catch {}
  return new Sai(`expected an absolute http:// or https:// URL, got ${moTa(x)}`);
};
/** Header names are HTTP tokens; values carry no control characters (CR/LF would split the request). */
const laHeader = (k: string, v: string) => /^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(k) && ![...v].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);

/**
 * OTEL_EXPORTER_OTLP_*_HEADERS per the spec (`k=v,k2=v2`, percent-encoded),
 * parsed by OTel's own parser, the one its exporters use; a pair it would
 * skip silently, or one it would pass on with a control character, makes
 * the whole variable malformed.
 */
const headersEnv: Doc<Record<string, string>> = (x) => {
  const cap = String(x).split(',').filter((c) => c.trim() !== '');
  const out = parseKeyPairsIntoRecord(String(x));
  const xau = Object.keys(out).length !== cap.length || Object.entries(out).some(([k, v]) => !laHeader(k, v));
  return xau ? new Sai('expected key=value pairs of HTTP header names and values, percent-encoded, without control characters') : out;
};
const headersTuCode: Doc<Record<string, string>> = (x) => {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return new Sai('expected an object of header names to string values');
  for (const [k, v] of Object.entries(x)) if (typeof v !== 'string' || !laHeader(k, v)) return new Sai(`invalid header ${JSON.stringify(k)}`);
  return x as Record<string, string>;
};

const KHOA_TUY_CHON: Record<string, readonly string[]> = Object.fromEntries(
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

function kiemTraThuocTinh(tt: unknown): Record<string, string | number | boolean> {
  kiemTraDoiTuong(tt, 'thuoc_tinh');
  for (const [k, v] of Object.entries(tt as object)) {
    if (!['string', 'boolean'].includes(typeof v) && !Number.isFinite(v)) throw new LoiCauHinh(`thuoc_tinh.${k}`, `a resource attribute must be a string, a finite number or a boolean, got ${v === null ? 'null' : typeof v}`);
  }
  return tt as Record<string, string | number | boolean>;
}

/**
 * An exporter list: names must be registered for the signal; `none` alone
 * means no exporter (beside others it is ignored, as in the spec). From the
 * environment, unknown names are warned about and skipped, and when none is
 * left the default list is used.
 */
function danhSach<T>(r: DocEnv, opt: T | T[] | undefined, tin_hieu: TinHieu, macDinh: T[]): { ds: T[]; ro_rang: boolean } {
  const biet = [...danh_sach_exporter_cho(tin_hieu), 'none'];
  const laBiet = (x: unknown) => typeof x !== 'string' || biet.includes(x);
  const loi = (x: unknown) => `unknown ${tin_hieu} exporter ${moTa(x)}; known: ${biet.join(', ')}`;
  const bo = (ds: T[]) => ds.filter((x) => x !== 'none');
  if (opt !== undefined) {
    const ds = Array.isArray(opt) ? opt : [opt];
    const xau = ds.find((x) => !laBiet(x));
    if (xau !== undefined) throw new LoiCauHinh(`${tin_hieu}_exporter`, loi(xau));
    return { ds: bo(ds), ro_rang: true };
  }
  const bien = `OTEL_${tin_hieu.toUpperCase()}_EXPORTER`;
  const ten = (r.chuoi(bien)?.split(',') ?? []).map((x) => x.trim()).filter((x) => x !== '') as T[];
  const tot = ten.filter(laBiet);
  if (ten.length === 0) return { ds: macDinh, ro_rang: false };
  if (tot.length < ten.length) return { ds: bo(r.hong(bien, loi(ten.filter((x) => !laBiet(x)).join(',')), tot.length > 0 ? tot : macDinh, tot.length === 0)), ro_rang: tot.length > 0 };
  return { ds: bo(tot), ro_rang: true };
}

/**
 * The sampler from the option, else OTEL_TRACES_SAMPLER(_ARG), else the default.
 * The ratio is checked even when the sampler takes none: a bad value is a mistake either way.
 */
function giaiLayMau(r: DocEnv, opt: TuyChonSdk['lay_mau'], coExporter: boolean): { readonly loai: TenLayMau; readonly ty_le: number } {
  const tyLeDoc: Doc<number> = (x) => {
    const n = typeof x === 'string' ? Number(x) : x;
    return typeof n === 'number' && n >= 0 && n <= 1 ? n : new Sai(`expected a ratio in [0, 1], got ${moTa(x)}`);
  };
  const bien = (ten: string) => (opt === undefined ? ten : undefined);
  return {
    loai: r.lay(opt?.loai, 'lay_mau.loai', bien('OTEL_TRACES_SAMPLER'), coExporter ? 'parentbased_always_on' : 'parentbased_always_off', motTrong(TEN_LAY_MAU)),
    ty_le: r.lay(opt?.ty_le, 'lay_mau.ty_le', bien('OTEL_TRACES_SAMPLER_ARG'), 1, tyLeDoc),
  };
}

/**
 * One instrumentation's setting: `false` (off), or its config. The option
 * (`true`, `false` or a config object) wins over the environment's list of
 * disabled instrumentations.
 */
function cauHinhInstrumentation<T extends object>(v: boolean | T | undefined, ten: 'http' | 'undici' | 'runtime_node', kieu: string, tatTuEnv: ReadonlySet<string>): false | T {
  if (v !== undefined && typeof v !== 'boolean' && (v === null || typeof v !== 'object' || Array.isArray(v))) {
    throw new LoiCauHinh(ten, `expected a boolean or a ${kieu} object, got ${JSON.stringify(v)}`);
  }
  // The environment names the instrumentation package (`runtime-node` for the option `runtime_node`).
  if (v === false || (v === undefined && tatTuEnv.has(ten.replace('_', '-')))) return false;
  return v === undefined || v === true ? ({} as T) : v;
}

/**
 * Resolves options and environment into a `CauHinh`.
 * Defaults follow the embedded mode when no OTLP endpoint is configured:
 * traces to a bounded in-memory buffer, metrics to Prometheus text on demand,
 * no OTel log export (LoggerCauTruc still writes its own lines). With an
 * endpoint configured the defaults become OTLP for all three signals, plus
 * Prometheus text for metrics.
 */
export function giai_cau_hinh(tuy_chon: TuyChonSdk = {}) {
  kiemTraDoiTuong(tuy_chon, '');
  for (const k of ['otlp', 'prometheus', 'bo_xu_ly', 'lay_mau'] as const) if (tuy_chon[k] !== undefined) kiemTraDoiTuong(tuy_chon[k], k);
  if (tuy_chon.env !== undefined) kiemTraDoiTuong(tuy_chon.env, 'env');
  for (const k of ['ten_dich_vu', 'phien_ban_dich_vu'] as const) if (tuy_chon[k] !== undefined && typeof tuy_chon[k] !== 'string') throw new LoiCauHinh(k, 'expected a string');
  const r = new DocEnv(tuy_chon.env ?? process.env);
  const o = tuy_chon.otlp ?? {};

  const tat_sdk = r.lay(tuy_chon.tat_sdk, 'tat_sdk', 'OTEL_SDK_DISABLED', false, boolDoc);
  // Read by NodeSDK (an unknown level means info there); checked here so the warning names the variable.
  r.lay(undefined, '', 'OTEL_LOG_LEVEL', 'info', motTrong(['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all']));
  const protoChung = r.lay(o.protocol, 'otlp.protocol', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf', motTrong<GiaoThucOtlp>(['http/protobuf', 'http/json', 'grpc']));
  /** A variable OTel's exporters also read themselves: hidden from them when malformed. */
  const docAn = <T>(opt: unknown, ten_opt: string, bien: string, doc: Doc<T>): T | undefined => {
    const n = r.canh_bao.length;
    const v = r.lay(opt, ten_opt, bien, undefined, doc);
    if (r.canh_bao.length > n) r.bi_an.push(bien);
    return v;
  };
  const endpointChung = docAn(o.endpoint, 'otlp.endpoint', 'OTEL_EXPORTER_OTLP_ENDPOINT', urlDoc);
  const headersChung = docAn(undefined, '', 'OTEL_EXPORTER_OTLP_HEADERS', headersEnv);
  const headersOpt = r.lay(o.headers, 'otlp.headers', undefined, undefined, headersTuCode);
  const diem = (signal: TinHieu): DiemOtlp => {
    const S = signal.toUpperCase();
    const rieng = docAn(o[`${signal}_endpoint`], `otlp.${signal}_endpoint`, `OTEL_EXPORTER_OTLP_${S}_ENDPOINT`, urlDoc);
    const headersRieng = docAn(undefined, '', `OTEL_EXPORTER_OTLP_${S}_HEADERS`, headersEnv);
    const protocol = o.protocol ?? r.lay(undefined, '', `OTEL_EXPORTER_OTLP_${S}_PROTOCOL`, protoChung, motTrong<GiaoThucOtlp>(['http/protobuf', 'http/json', 'grpc']));
    // Per the spec a signal endpoint is used as is; over HTTP the shared one gets /v1/<signal>.
    const chung = endpointChung === undefined ? undefined : protocol === 'grpc' ? endpointChung : `${endpointChung.replace(/\/+$/, '')}/v1/${signal}`;
    const headers = headersChung === undefined && headersRieng === undefined && headersOpt === undefined ? undefined : { ...headersChung, ...headersRieng, ...headersOpt };
    return { url: rieng ?? chung, protocol, headers };
  };
  const [dt, dm, dl] = [diem('traces'), diem('metrics'), diem('logs')];

  const traces = danhSach(r, tuy_chon.traces_exporter, 'traces', [dt.url !== undefined ? 'otlp' : 'memory']);
  const metrics = danhSach(r, tuy_chon.metrics_exporter, 'metrics', dm.url !== undefined ? ['prometheus', 'otlp'] : ['prometheus']);
  const logs = danhSach(r, tuy_chon.logs_exporter, 'logs', dl.url !== undefined ? ['otlp'] : []);

  const p = tuy_chon.prometheus ?? {};
  const b = tuy_chon.bo_xu_ly ?? {};
  const boXuLy = (tienTo: 'OTEL_BSP' | 'OTEL_BLRP'): GioiHanBoXuLy => {
    const so = (k: keyof GioiHanBoXuLy, hau_to: string, mac_dinh: number, min: number, max: number) =>
      r.lay(b[k], `bo_xu_ly.${k}`, `${tienTo}_${hau_to}`, mac_dinh, soNguyen(min, max));
    const max_queue_size = so('max_queue_size', 'MAX_QUEUE_SIZE', 2048, 1, 10_000_000);
    const batch = so('max_export_batch_size', 'MAX_EXPORT_BATCH_SIZE', 512, 1, 10_000_000);
    const quaLon = `must not exceed the max queue size (${max_queue_size})`;
    if (batch > max_queue_size && b.max_export_batch_size !== undefined) throw new LoiCauHinh('bo_xu_ly.max_export_batch_size', quaLon);
    return {
      max_queue_size,
      max_export_batch_size: batch > max_queue_size ? r.hong(`${tienTo}_MAX_EXPORT_BATCH_SIZE`, quaLon, Math.min(512, max_queue_size)) : batch,
      scheduled_delay_ms: so('scheduled_delay_ms', 'SCHEDULE_DELAY', 1000, 0, 3_600_000),
      export_timeout_ms: so('export_timeout_ms', 'EXPORT_TIMEOUT', 30_000, 1, 3_600_000),
    };
  };

  // OTEL_NODE_DISABLED_INSTRUMENTATIONS (the OTel JS convention) turns an
  // instrumentation off from the environment; the option wins.
  const tatTuEnv = new Set(
    (r.chuoi('OTEL_NODE_DISABLED_INSTRUMENTATIONS') ?? '').split(',').map((x) => x.trim().replace(/^@opentelemetry\/instrumentation-/, '')),
  );
  const http = cauHinhInstrumentation(tuy_chon.http, 'http', 'HttpInstrumentationConfig', tatTuEnv);
  const undici = cauHinhInstrumentation(tuy_chon.undici, 'undici', 'UndiciInstrumentationConfig', tatTuEnv);
  const runtime_node = cauHinhInstrumentation(tuy_chon.runtime_node, 'runtime_node', 'RuntimeNodeInstrumentationConfig', tatTuEnv);
  const instrumentation_http = r.lay<KieuInstrumentationHttp>(
    tuy_chon.instrumentation_http, 'instrumentation_http', 'VIETNAMESE_AI_OTEL_HTTP_INSTRUMENTATION', 'diagnostics_channel', motTrong<KieuInstrumentationHttp>(['diagnostics_channel', 'otel']),
  );

  const phatHienDoc: Doc<TenPhatHien[] | undefined> = (x) => {
    const ten = String(x).split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (ten.includes('all')) return [...TEN_PHAT_HIEN];
    if (ten.includes('none')) return [];
    const xau = ten.filter((t) => !(TEN_PHAT_HIEN as readonly string[]).includes(t));
    return xau.length > 0 ? new Sai(`unknown or unavailable detector ${moTa(xau)}; known: ${TEN_PHAT_HIEN.join(', ')}, all, none`) : (ten as TenPhatHien[]);
  };

  return {
    tat_sdk,
    ten_dich_vu: tuy_chon.ten_dich_vu,
    phien_ban_dich_vu: tuy_chon.phien_ban_dich_vu,
    thuoc_tinh: tuy_chon.thuoc_tinh === undefined ? {} : kiemTraThuocTinh(tuy_chon.thuoc_tinh),
    /** Resource detectors; `undefined` = this SDK's default set (no command line, see tai-nguyen.ts). */
    phat_hien: r.lay(undefined, '', 'OTEL_NODE_RESOURCE_DETECTORS', undefined, phatHienDoc),
    traces: traces.ds,
    metrics: metrics.ds,
    logs: logs.ds,
    otlp: {
      traces: dt,
      metrics: dm,
      logs: dl,
      timeout_ms: r.lay(o.timeout_ms, 'otlp.timeout_ms', undefined, undefined, soNguyen(1, 3_600_000)),
      temporality: r.lay(undefined, '', 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', 'cumulative', motTrong<UuTienThoiGian>(['cumulative', 'delta', 'lowmemory'])),
    },
    prometheus: {
      host: p.host ?? r.chuoi('OTEL_EXPORTER_PROMETHEUS_HOST') ?? 'localhost',
      port: r.lay(p.port, 'prometheus.port', 'OTEL_EXPORTER_PROMETHEUS_PORT', 9464, soNguyen(0, 65535)),
      phuc_vu: p.phuc_vu ?? (metrics.ro_rang && metrics.ds.includes('prometheus')),
    },
    chu_ky_metrics_ms: r.lay(tuy_chon.chu_ky_metrics_ms, 'chu_ky_metrics_ms', 'OTEL_METRIC_EXPORT_INTERVAL', 60_000, soNguyen(1, 86_400_000)),
    timeout_metrics_ms: r.lay(tuy_chon.timeout_metrics_ms, 'timeout_metrics_ms', 'OTEL_METRIC_EXPORT_TIMEOUT', 30_000, soNguyen(1, 3_600_000)),
    gioi_han_series: r.lay(tuy_chon.gioi_han_series, 'gioi_han_series', undefined, 2000, soNguyen(1, 10_000_000)),
    bo_xu_ly_spans: boXuLy('OTEL_BSP'),
    bo_xu_ly_logs: boXuLy('OTEL_BLRP'),
    http,
    undici,
    runtime_node,
    instrumentation_http,
    thoi_gian_tat_ms: r.lay(tuy_chon.thoi_gian_tat_ms, 'thoi_gian_tat_ms', undefined, 5000, soNguyen(1, 600_000)),
    che_khoa: tuy_chon.che_khoa ?? KHOA_BI_MAT_MAC_DINH,
    lay_mau: giaiLayMau(r, tuy_chon.lay_mau, traces.ds.length > 0),
    /** One warning per bad environment variable (it names the variable, the value and the default used). */
    canh_bao: r.canh_bao as readonly string[],
    /** Malformed variables that OTel's exporters would read themselves: hidden from them while they are built. */
    bien_bi_an: r.bi_an as readonly string[],
  };
}
