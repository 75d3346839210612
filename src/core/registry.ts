/**
 * The process-wide slot for the one pipeline, and the registry of metric
 * sources (nguồn metric) that the facades declare.
 *
 * Why a registry: the OpenTelemetry metrics API has no proxy meter, so a
 * facade built before `khoi_dong_sdk()` would be bound to a no-op meter for
 * ever. Instead every facade declares "how to build my instruments on a
 * meter"; whichever pipeline is current (the SDK's, or an embedded one made
 * on demand) materialises every declaration, and a pipeline that replaces
 * another materialises them again. Facades keep their hot paths on plain
 * numbers and expose them through observable instruments, so recording costs
 * nothing here.
 *
 * State lives on `globalThis` under a registered symbol so that two copies of
 * this package (ESM import and CommonJS require of different versions) still
 * share one pipeline.
 */
import type { Meter } from '@opentelemetry/api';
import { report_failure } from './report.js';
import type { ResourceMetrics, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import type { TuyChonSerializer } from './exposition-options.js';

/** Builds a facade's instruments on `meter`; returns how to take them down. */
export type NguonMetric = (meter: Meter) => (() => void) | void;

/** What the registry needs of a pipeline. */
export interface PipelineMetricDich {
  /** A meter of this pipeline for the given instrumentation scope. */
  layMeter(tenScope: string, phienBan?: string): Meter;
  /** Collects once. */
  thu_thap(): Promise<ResourceMetrics>;
  /** Collects once and renders Prometheus text (optionally some scopes only). */
  export_prometheus(tuy_chon?: TuyChonSerializer): Promise<string>;
  /** The pipeline's cardinality limit (max series per metric). */
  readonly gioi_han_series: number;
}

/**
 * A metric producer (nhà sản xuất metric) owned by a facade: it aggregates
 * on its own (for instance a histogram with exact stats and a quantile
 * sketch, which OTel instruments cannot offer) and hands finished OTel
 * `ScopeMetrics` to the one reader at each collection. Producers are global:
 * whichever pipeline is current collects from all of them.
 */
export interface NhaSanXuatMetric {
  /** Called once per collection; must not throw (an error drops its scopes and is reported to diag once). */
  thu_thap(gioi_han_series: number): ScopeMetrics | ScopeMetrics[] | undefined;
}

interface DangKy {
  readonly tenScope: string;
  readonly phienBan: string | undefined;
  readonly nguon: NguonMetric;
  go: (() => void) | undefined;
}

interface TrangThaiToanCuc {
  pipeline: PipelineMetricDich | undefined;
  /** Bumped whenever the current pipeline changes, so callers can cache. */
  the_he: number;
  readonly nguon: Set<DangKy>;
  readonly nha_san_xuat: Set<NhaSanXuatMetric>;
}

const KHOA = Symbol.for('vietnamese-ai-otel.toan-cuc.v1');

function trangThai(): TrangThaiToanCuc {
  const g = globalThis as unknown as Record<symbol, TrangThaiToanCuc | undefined>;
  let s = g[KHOA];
  if (s === undefined) {
    s = { pipeline: undefined, the_he: 0, nguon: new Set(), nha_san_xuat: new Set() };
    g[KHOA] = s;
  }
  return s;
}

function goXuong(dk: DangKy): void {
  const go = dk.go;
  dk.go = undefined;
  if (go !== undefined) {
    try {
      go();
    } catch (e) {
      // Taking down an instrument must not break a pipeline switch.
      report_failure(`taking down metric source ${dk.tenScope}`, e);
    }
  }
}

function dungLen(dk: DangKy, p: PipelineMetricDich): void {
  try {
    dk.go = dk.nguon(p.layMeter(dk.tenScope, dk.phienBan)) ?? undefined;
  } catch (e) {
    dk.go = undefined;
    report_failure(`building the instruments of ${dk.tenScope}`, e);
  }
}

/**
 * Declares a metric source. It is built at once on the current pipeline, if
 * there is one, and again on every pipeline that replaces it.
 * @returns a function that removes the source and its instruments.
 */
export function dang_ky_nguon_metric(tenScope: string, nguon: NguonMetric, phienBan?: string): () => void {
  const s = trangThai();
  const dk: DangKy = { tenScope, phienBan, nguon, go: undefined };
  s.nguon.add(dk);
  if (s.pipeline !== undefined) dungLen(dk, s.pipeline);
  return () => {
    s.nguon.delete(dk);
    goXuong(dk);
  };
}

/** The current pipeline, or undefined when neither the SDK nor an embedded one runs. */
export function pipeline_hien_tai(): PipelineMetricDich | undefined {
  return trangThai().pipeline;
}

/** A counter that changes whenever the current pipeline does. */
export function the_he_pipeline(): number {
  return trangThai().the_he;
}

/**
 * Makes `p` the current pipeline (or clears it): every source is taken down
 * from the old one and built on the new one.
 * @returns the pipeline it replaced.
 */
export function dat_pipeline(p: PipelineMetricDich | undefined): PipelineMetricDich | undefined {
  const s = trangThai();
  const cu = s.pipeline;
  if (cu === p) return cu;
  for (const dk of s.nguon) goXuong(dk);
  s.pipeline = p;
  s.the_he++;
  if (p !== undefined) for (const dk of s.nguon) dungLen(dk, p);
  return cu;
}

/** Registers a producer; returns how to remove it. */
export function dang_ky_nha_san_xuat(p: NhaSanXuatMetric): () => void {
  const s = trangThai();
  s.nha_san_xuat.add(p);
  return () => {
    s.nha_san_xuat.delete(p);
  };
}

/** Every producer's scopes for one collection (a failing producer is skipped). */
export function thu_thap_nha_san_xuat(gioi_han_series: number): ScopeMetrics[] {
  const ra: ScopeMetrics[] = [];
  for (const p of trangThai().nha_san_xuat) {
    try {
      const r = p.thu_thap(gioi_han_series);
      if (r === undefined) continue;
      if (Array.isArray(r)) ra.push(...r);
      else ra.push(r);
    } catch (e) {
      // A producer must not break the collection of everything else.
      report_failure('a metric producer failed during collection', e);
    }
  }
  return ra;
}
