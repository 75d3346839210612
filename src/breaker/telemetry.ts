/**
 * MachCat's telemetry: span events on the caller's active span, log
 * records for the rare things (transitions, trials, refusal summaries), and
 * metrics as OBSERVABLE instruments read from plain counters at collection.
 *
 * Why this shape: a breaker sits on every request, so its success path must
 * not pay for telemetry at all. Counters are plain fields on the breaker;
 * one module-level metric source walks a set of WeakRefs to the live
 * breakers when a collection happens, so a breaker that goes out of scope is
 * garbage collected (a registration per breaker would pin it for ever). Its
 * counters live in a separate small object (BreakerCounters) that the weak set
 * (WeakTracker) hands back to be folded into per-name totals when the breaker
 * is collected, so the counters stay monotonic (as the logger's do).
 * Nothing here may throw into user code.
 */
import { SeverityNumber, trace, type Attributes, type BatchObservableCallback, type Meter, type Span } from '@opentelemetry/api';
import { add_span_event, emit_log_record, library_tracer } from '../core/telemetry.js';
import { lazy_metric_source, observe_batch } from '../core/lazy-source.js';
import { TrangThaiMach } from './state.js';
import { RetiredTotals } from '../core/retired-totals.js';
import { WeakTracker } from '../core/weak-set.js';
import { LIBRARY_VERSION } from '../core/version.js';
import { report_failure } from '../core/report.js';

/** Metric scope (so `export_prometheus({ loc_scope })` can pick MachCat alone). */
export const SCOPE_METRIC = 'vietnamese-ai-otel/machcat';

/** A state change of a breaker, as its subscribers hear it. */
export interface TransitionEvent {
  /** The breaker's name. */
  readonly breaker: string;
  readonly from: TrangThaiMach;
  readonly to: TrangThaiMach;
  /** Why (the `machcat.ly_do` attribute value). */
  readonly reason: string;
  /** As of when, on the breaker's clock (ms). */
  readonly at_ms: number;
  /** Refusals not yet in a refusal log record (the transition's record carries them). */
  readonly unlogged_refusals: number;
}

/** Telemetry's subscriber to a breaker's transitions: the counter, a span event, a log record. */
export function record_transition(counters: BreakerCounters, e: TransitionEvent): void {
  if (e.to === TrangThaiMach.DONG) counters.den_dong++;
  else if (e.to === TrangThaiMach.MO) counters.den_mo++;
  else counters.den_nua_mo++;
  const attributes: Attributes = { 'machcat.ten': e.breaker, 'machcat.tu': e.from, 'machcat.den': e.to, 'machcat.ly_do': e.reason };
  const span = recording_span();
  if (span !== undefined) add_event(span, 'machcat.chuyen_trang_thai', attributes);
  emit_log(e.to === TrangThaiMach.MO ? SeverityNumber.WARN : SeverityNumber.INFO, 'machcat.chuyen_trang_thai', `MachCat "${e.breaker}": ${e.from} -> ${e.to} (${e.reason})`, {
    ...attributes,
    'machcat.so_bi_chan_chua_log': e.unlogged_refusals,
    'machcat.thoi_diem_ms': e.at_ms,
  });
}

/** The active span if it records, else undefined (cheap without an SDK). */
export function recording_span(): Span | undefined {
  try {
    const span = trace.getActiveSpan();
    return span !== undefined && span.isRecording() ? span : undefined;
  } catch (e) {
    report_failure('MachCat: reading the active span', e);
    return undefined;
  }
}

/** Adds an event to `span`, never throwing (telemetry must not break the protected call). */
export function add_event(span: Span, name: string, attributes: Attributes): void {
  add_span_event('MachCat', span, name, attributes);
}

/** Emits a log record (records are rare: transitions, trials, refusal summaries). */
export function emit_log(severity: SeverityNumber, event_name: string, body: string, attributes: Attributes): void {
  emit_log_record('MachCat', { eventName: event_name, severityNumber: severity, severityText: severity >= SeverityNumber.WARN ? 'WARNING' : 'INFO', body, attributes });
}

export { SeverityNumber };

export { library_tracer as tracer };

/** The monotonic counters of a breaker (one list: BreakerCounters' fields). */
type Counters = Omit<BreakerCounters, 'ten'>;

/** What one breaker contributes to a metric collection (`so_lieu_metric()`). */
export type BreakerMetrics = Counters & { ten: string; trang_thai: TrangThaiMach; dang_chay: number };

/** A breaker as the metric source sees it. */
export interface BreakerMetricSource {
  so_lieu_metric(): BreakerMetrics;
}

/**
 * The monotonic counters of one breaker, kept outside it so they outlive it.
 * Named as the statistics (`lay_thong_ke()`) and metric labels they feed.
 */
export class BreakerCounters {
  thanh_cong = 0;
  that_bai = 0;
  bi_chan = 0;
  fallback = 0;
  fallback_loi = 0;
  den_dong = 0;
  den_mo = 0;
  den_nua_mo = 0;
  constructor(readonly ten: string) {}
}

/** Counters of garbage-collected breakers, per name. */
const retired = new RetiredTotals<NameTotals, Counters>(
  () => ({ thanh_cong: 0, that_bai: 0, bi_chan: 0, fallback: 0, fallback_loi: 0, dang_chay: 0, den_dong: 0, den_mo: 0, den_nua_mo: 0, dong: 0, mo: 0, nua_mo: 0 }),
  addCounters,
);
/** Live breakers, held weakly; a collected one's counters fold into `retired`. */
const live = new WeakTracker<BreakerMetricSource, BreakerCounters>((c) => retired.retire(c.ten, c));

/** Adds one breaker's monotonic counters into `totals`. */
function addCounters(totals: Counters, c: Counters): void {
  totals.thanh_cong += c.thanh_cong;
  totals.that_bai += c.that_bai;
  totals.bi_chan += c.bi_chan;
  totals.fallback += c.fallback;
  totals.fallback_loi += c.fallback_loi;
  totals.den_dong += c.den_dong;
  totals.den_mo += c.den_mo;
  totals.den_nua_mo += c.den_nua_mo;
}

/** One name's sums at a collection: the counters, calls running, and breakers per state. */
type NameTotals = Counters & { dang_chay: number } & Record<TrangThaiMach, number>;

/** The sums of every breaker ever made, by name, as of now. */
function totalsByName(): Map<string, NameTotals> {
  const byName = new Map<string, NameTotals>();
  // Live breakers first: one found collected on the way folds into `retired`, read after.
  for (const breaker of live) {
    let m: BreakerMetrics;
    try {
      m = breaker.so_lieu_metric();
    } catch (e) {
      report_failure('MachCat: reading a breaker during collection', e);
      continue;
    }
    const totals = retired.at(byName, m.ten);
    addCounters(totals, m);
    totals.dang_chay += m.dang_chay;
    totals[m.trang_thai]++;
  }
  retired.addRetiredInto(byName);
  return byName;
}

/**
 * Builds the instruments on `meter`. Breakers that share a name are summed
 * (for `machcat.state`, the value is how many breakers of that name are in
 * each state: 1/0 for a unique name), so series never clash.
 */
function buildInstruments(meter: Meter): () => void {
  const calls = meter.createObservableCounter('machcat.calls', { description: 'MachCat protected calls by outcome (ket_qua): thanh_cong = success, that_bai = failure, bi_chan = refused', unit: '{call}' });
  const fallbacks = meter.createObservableCounter('machcat.fallbacks', { description: 'MachCat refused calls answered by ham_fallback, by outcome (ket_qua): ok, loi = the fallback threw or rejected', unit: '{call}' });
  const state = meter.createObservableGauge('machcat.state', { description: 'MachCat breakers in each state (trang_thai: dong = closed, mo = open, nua_mo = half-open); 1 marks the current state' });
  const transitions = meter.createObservableCounter('machcat.transitions', { description: 'MachCat state transitions by target state (den)', unit: '{transition}' });
  const inFlight = meter.createObservableGauge('machcat.in_flight', { description: 'MachCat protected calls running now (dang_chay)', unit: '{call}' });
  const observe: BatchObservableCallback = (result) => {
    for (const [name, t] of totalsByName()) {
      const a = { 'machcat.ten': name };
      result.observe(calls, t.thanh_cong, { ...a, 'machcat.ket_qua': 'thanh_cong' });
      result.observe(calls, t.that_bai, { ...a, 'machcat.ket_qua': 'that_bai' });
      result.observe(calls, t.bi_chan, { ...a, 'machcat.ket_qua': 'bi_chan' });
      result.observe(fallbacks, t.fallback - t.fallback_loi, { ...a, 'machcat.ket_qua': 'ok' });
      result.observe(fallbacks, t.fallback_loi, { ...a, 'machcat.ket_qua': 'loi' });
      result.observe(state, t.dong, { ...a, 'machcat.trang_thai': TrangThaiMach.DONG });
      result.observe(state, t.mo, { ...a, 'machcat.trang_thai': TrangThaiMach.MO });
      result.observe(state, t.nua_mo, { ...a, 'machcat.trang_thai': TrangThaiMach.NUA_MO });
      result.observe(transitions, t.den_dong, { ...a, 'machcat.den': TrangThaiMach.DONG });
      result.observe(transitions, t.den_mo, { ...a, 'machcat.den': TrangThaiMach.MO });
      result.observe(transitions, t.den_nua_mo, { ...a, 'machcat.den': TrangThaiMach.NUA_MO });
      result.observe(inFlight, t.dang_chay, a);
    }
  };
  return observe_batch(meter, [calls, fallbacks, state, transitions, inFlight], observe);
}

const declareSource = lazy_metric_source(SCOPE_METRIC, buildInstruments, LIBRARY_VERSION);

/**
 * Adds a breaker to the metric source, held weakly; its `counters` are
 * folded into the totals once it is collected. The source is declared on
 * the first call, once for the whole module.
 */
export function track(breaker: BreakerMetricSource, counters: BreakerCounters): void {
  declareSource();
  live.add(breaker, counters);
}

/** How many breakers the metric source still tracks (for tests). @internal */
export function tracked_breaker_count(): number {
  return live.size;
}
