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
import type { CauHinh } from '../src/sdk/config.js';

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

/** What an exporter factory is given. */
export interface NguCanhExporter {
  readonly cau_hinh: CauHinh;
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
