/**
 * Self-metrics of the loggers, as OBSERVABLE counters (read at collection,
 * so a log call only bumps a plain number):
 * - `vietnamese_ai.logger.lines` {logger, level}: lines accepted per level;
 * - `vietnamese_ai.logger.dropped` {logger, reason}: lines lost, by reason
 *   (`buffer_full`: the output was blocked and the bounded buffer full;
 *   `otel_error`: the OTel SDK threw while taking the record; `closed`: a
 *   call after `dong()`, the logger's close);
 * - `vietnamese_ai.logger.write_errors` {output}: errors an output reported.
 *
 * WHY one module-level source over a set of counters: a metric registration
 * holds a strong reference, and loggers can be short-lived. Each logger owns
 * a small counter object; the weak set (WeakTracker) hands back the counts
 * of a collected logger, folded into per-name totals, so counters stay
 * monotonic and the set stays bounded by the live loggers.
 */
import type { BatchObservableResult, ObservableCounter } from '@opentelemetry/api';
import { lazy_metric_source, observe_batch } from '../core/lazy-source.js';
import { RetiredTotals } from '../core/retired-totals.js';
import { WeakTracker } from '../core/weak-set.js';
import { CAC_CAP_DO } from './levels.js';
import { live_destinations } from './destination.js';
import { SCOPE_VERSION, TEN_SCOPE_LOG } from './otel.js';

/** Counts of one logger name (lines per level, drops per reason). */
interface LoggerTotals {
  /** Lines per level rank (DEBUG..CRITICAL). */
  lines: number[];
  /** Lines dropped because the destination's buffer was full. */
  bufferFull: number;
  /** Records the OTel SDK threw on. */
  otelErrors: number;
  /** Calls after the logger was closed. */
  afterClose: number;
}

/** Per-logger counters (plain numbers: the hot path adds to them). */
export class LoggerCounters implements LoggerTotals {
  readonly lines = [0, 0, 0, 0, 0];
  bufferFull = 0;
  otelErrors = 0;
  afterClose = 0;
  constructor(readonly loggerName: string) {}
}

/** Totals of collected loggers, per name. */
const retired = new RetiredTotals<LoggerTotals>(() => ({ lines: [0, 0, 0, 0, 0], bufferFull: 0, otelErrors: 0, afterClose: 0 }), addInto);
/** Live loggers, held weakly, each with its counters; a collected one's counters fold into `retired`. */
const liveCounters = new WeakTracker<object, LoggerCounters>((c) => retired.retire(c.loggerName, c));

/** Adds `from`'s counts into `into`. */
function addInto(into: LoggerTotals, from: LoggerTotals): void {
  for (let i = 0; i < 5; i++) (into.lines[i] as number) += from.lines[i] as number;
  into.bufferFull += from.bufferFull;
  into.otelErrors += from.otelErrors;
  into.afterClose += from.afterClose;
}

function observe(r: BatchObservableResult, lines: ObservableCounter, dropped: ObservableCounter, writeErrors: ObservableCounter): void {
  const totals = new Map<string, LoggerTotals>();
  // Live loggers first: one found collected on the way folds into `retired`, read after.
  for (const c of liveCounters.held()) addInto(retired.at(totals, c.loggerName), c);
  retired.addRetiredInto(totals);
  for (const [name, t] of totals) {
    for (let i = 0; i < 5; i++) r.observe(lines, t.lines[i] as number, { logger: name, level: CAC_CAP_DO[i] as string });
    r.observe(dropped, t.bufferFull, { logger: name, reason: 'buffer_full' });
    r.observe(dropped, t.otelErrors, { logger: name, reason: 'otel_error' });
    r.observe(dropped, t.afterClose, { logger: name, reason: 'closed' });
  }
  for (const d of live_destinations()) r.observe(writeErrors, d.writeErrors, { output: d.name });
}

const registerOnce = lazy_metric_source(
  TEN_SCOPE_LOG,
  (meter) => {
    const lines = meter.createObservableCounter('vietnamese_ai.logger.lines', { description: 'Log lines accepted, per logger and level.', unit: '{line}' });
    const dropped = meter.createObservableCounter('vietnamese_ai.logger.dropped', { description: 'Log lines lost, per logger and reason.', unit: '{line}' });
    const writeErrors = meter.createObservableCounter('vietnamese_ai.logger.write_errors', { description: 'Write errors reported by a log output.', unit: '{error}' });
    return observe_batch(meter, [lines, dropped, writeErrors], (r) => observe(r, lines, dropped, writeErrors));
  },
  SCOPE_VERSION,
);

/** Registers a logger's counters (held while `owner`, the logger, lives). */
export function track_logger(owner: object, counters: LoggerCounters): void {
  registerOnce();
  liveCounters.add(owner, counters);
}
