/**
 * The small interfaces behind pluggable exporters.
 *
 * Traces and logs use OpenTelemetry's own `SpanExporter` and
 * `LogRecordExporter`, wrapped by the SDK in OTel's batch processors. Metrics
 * are different: the SDK has ONE metric reader, and every metric output
 * (đầu ra metric) hangs off its single collection. A push output receives each
 * collection; a pull output is handed the collector and reads on demand.
 */
import type { MeterProvider } from '@opentelemetry/api';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';

/** Collects once from the one reader; what a pull output is given. */
export interface BoThuThap {
  thu_thap(): Promise<ResourceMetrics>;
}

/** A metric output: push (`xuat`), pull (`gan`), or both. */
export interface DauRaMetric {
  /** Name shown in counts and errors. */
  readonly ten: string;
  /** Push: receives one collection. Rejects (or resolves false) when the export failed. */
  xuat?(rm: ResourceMetrics): Promise<boolean>;
  /** Pull: attaches to the collector (e.g. starts an HTTP endpoint). */
  gan?(bo_thu_thap: BoThuThap): void | Promise<void>;
  forceFlush?(): Promise<void>;
  shutdown(): Promise<void>;
}

/** OTLP transport (OTEL_EXPORTER_OTLP_PROTOCOL). */
export type GiaoThucOtlp = 'http/protobuf' | 'http/json' | 'grpc';

/** Where and how one signal's OTLP exporter sends (options over OTEL_EXPORTER_OTLP_*; unset: the exporter's default). Headers: shared, then the signal's, then `otlp.headers`. */
export type DiemOtlp = Readonly<{ url: string | undefined; protocol: GiaoThucOtlp; headers: Record<string, string> | undefined }>;

/** OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE. */
export type UuTienThoiGian = 'cumulative' | 'delta' | 'lowmemory';

/**
 * The exporters' slice of the SDK configuration (cấu hình exporter): what the
 * built-in factories read, resolved from options and OTEL_* variables. A
 * factory sees this, never the whole SDK configuration, so exporters depend
 * on nothing above them.
 */
export interface CauHinhExporter {
  readonly otlp: Readonly<{ traces: DiemOtlp; metrics: DiemOtlp; logs: DiemOtlp; timeout_ms: number | undefined; temporality: UuTienThoiGian }>;
  readonly prometheus: Readonly<{ host: string; port: number; phuc_vu: boolean }>;
  /** Malformed variables that OTel's exporters would read themselves: hidden from them while they are built. */
  readonly bien_bi_an: readonly string[];
}

/** What an exporter factory is given. */
export interface NguCanhExporter {
  readonly cau_hinh: CauHinhExporter;
  /** The pipeline's MeterProvider, for OTel's SDK self-observability metrics. */
  readonly selfObsMeterProvider: MeterProvider;
  /** HTTP agents for network exporters whose sockets the SDK destroys at shutdown (OTel's `httpAgentOptions` factory form). */
  readonly agent_http?: (protocol: string) => Promise<import('node:http').Agent | import('node:https').Agent>;
}

/** A named exporter: a factory per signal it supports. */
export interface DinhNghiaExporter {
  traces?(ctx: NguCanhExporter): SpanExporter;
  metrics?(ctx: NguCanhExporter): DauRaMetric;
  logs?(ctx: NguCanhExporter): LogRecordExporter;
}

export type TinHieu = 'traces' | 'metrics' | 'logs';
