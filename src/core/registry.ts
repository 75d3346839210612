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

/** What the registry needs of a pipeline (public through `pipeline_hien_tai()`: member names are API). */
export interface RegistryPipeline {
  /** A meter (lấy meter: get meter) of this pipeline for the given instrumentation scope. */
  layMeter(scope: string, version?: string): Meter;
  /** Collects once (thu thập). */
  thu_thap(): Promise<ResourceMetrics>;
  /** Collects once and renders Prometheus text (optionally some scopes only). */
  export_prometheus(options?: TuyChonSerializer): Promise<string>;
  /** The pipeline's cardinality limit (giới hạn series: max series per metric). */
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
  /** Called once per collection (thu thập); must not throw (an error drops its scopes and is reported to diag once). */
  thu_thap(gioi_han_series: number): ScopeMetrics | ScopeMetrics[] | undefined;
}

// The global state and its entries are shared with other copies of this
// package, possibly of other versions, under the same `.v1` key: their field
// names are that shared layout and stay as they are.

/** One declared source: `go` (take down) is set while it is built on a pipeline. */
interface SourceEntry {
  readonly tenScope: string;
  readonly phienBan: string | undefined;
  readonly nguon: NguonMetric;
  go: (() => void) | undefined;
}

/** The process-wide state: the current pipeline, its generation (thế hệ), the sources and the producers. */
interface GlobalState {
  pipeline: RegistryPipeline | undefined;
  /** Bumped whenever the current pipeline changes, so callers can cache. */
  the_he: number;
  readonly nguon: Set<SourceEntry>;
  readonly nha_san_xuat: Set<NhaSanXuatMetric>;
}

const STATE_KEY = Symbol.for('vietnamese-ai-otel.toan-cuc.v1');

function globalState(): GlobalState {
  const g = globalThis as unknown as Record<symbol, GlobalState | undefined>;
  let state = g[STATE_KEY];
  if (state === undefined) {
    state = { pipeline: undefined, the_he: 0, nguon: new Set(), nha_san_xuat: new Set() };
    g[STATE_KEY] = state;
  }
  return state;
}

function takeDown(entry: SourceEntry): void {
  const takeDownInstruments = entry.go;
  entry.go = undefined;
  if (takeDownInstruments !== undefined) {
    try {
      takeDownInstruments();
    } catch (e) {
      // Taking down an instrument must not break a pipeline switch.
      report_failure(`taking down metric source ${entry.tenScope}`, e);
    }
  }
}

function build(entry: SourceEntry, pipeline: RegistryPipeline): void {
  try {
    entry.go = entry.nguon(pipeline.layMeter(entry.tenScope, entry.phienBan)) ?? undefined;
  } catch (e) {
    entry.go = undefined;
    report_failure(`building the instruments of ${entry.tenScope}`, e);
  }
}

/**
 * Declares (đăng ký) a metric source. It is built at once on the current
 * pipeline, if there is one, and again on every pipeline that replaces it.
 * @returns a function that removes the source and its instruments.
 */
export function dang_ky_nguon_metric(scope: string, source: NguonMetric, version?: string): () => void {
  const state = globalState();
  const entry: SourceEntry = { tenScope: scope, phienBan: version, nguon: source, go: undefined };
  state.nguon.add(entry);
  if (state.pipeline !== undefined) build(entry, state.pipeline);
  return () => {
    state.nguon.delete(entry);
    takeDown(entry);
  };
}

/** The current pipeline (pipeline hiện tại), or undefined when neither the SDK nor an embedded one runs. */
export function pipeline_hien_tai(): RegistryPipeline | undefined {
  return globalState().pipeline;
}

/** A counter (thế hệ: generation) that changes whenever the current pipeline does. */
export function the_he_pipeline(): number {
  return globalState().the_he;
}

/**
 * Makes `pipeline` the current one (đặt: set), or clears it: every source is
 * taken down from the old one and built on the new one.
 * @returns the pipeline it replaced.
 */
export function set_pipeline(pipeline: RegistryPipeline | undefined): RegistryPipeline | undefined {
  const state = globalState();
  const previous = state.pipeline;
  if (previous === pipeline) return previous;
  for (const entry of state.nguon) takeDown(entry);
  state.pipeline = pipeline;
  state.the_he++;
  if (pipeline !== undefined) for (const entry of state.nguon) build(entry, pipeline);
  return previous;
}

/** Registers (đăng ký) a producer; returns how to remove it. */
export function dang_ky_nha_san_xuat(producer: NhaSanXuatMetric): () => void {
  const state = globalState();
  state.nha_san_xuat.add(producer);
  return () => {
    state.nha_san_xuat.delete(producer);
  };
}

/** Every producer's scopes for one collection (a failing producer is skipped). */
export function collect_producers(maxSeries: number): ScopeMetrics[] {
  const scopes: ScopeMetrics[] = [];
  for (const producer of globalState().nha_san_xuat) {
    try {
      const r = producer.thu_thap(maxSeries);
      if (r === undefined) continue;
      if (Array.isArray(r)) scopes.push(...r);
      else scopes.push(r);
    } catch (e) {
      // A producer must not break the collection of everything else.
      report_failure('a metric producer failed during collection', e);
    }
  }
  return scopes;
}
