/**
 * Self-metrics of the loggers, as OBSERVABLE counters (read at collection,
 * so a log call only bumps a plain number):
 * - `vietnamese_ai.logger.lines` {logger, level}: lines accepted per level;
 * - `vietnamese_ai.logger.dropped` {logger, reason}: lines lost, by reason
 *   (`buffer_full`: the output was blocked and the bounded buffer full;
 *   `otel_error`: the OTel SDK threw while taking the record; `closed`: a
 *   call after `dong()`);
 * - `vietnamese_ai.logger.write_errors` {output}: errors an output reported.
 *
 * WHY one module-level source over a set of counters: a metric registration
 * holds a strong reference, and loggers can be short-lived. Each logger owns
 * a small counter object; the weak set (TapHopYeu) hands back the counts
 * of a collected logger, folded into per-name totals, so counters stay
 * monotonic and the set stays bounded by the live loggers.
 */
import type { BatchObservableResult, ObservableCounter } from '@opentelemetry/api';
import { lazy_metric_source } from '../core/lazy-source.js';
import { TapHopYeu } from '../core/weak-set.js';
import { CAC_CAP_DO } from './levels.js';
import { cac_dich_song } from './destination.js';
import { PHIEN_BAN_SCOPE, TEN_SCOPE_LOG } from './otel.js';

/** Per-logger counters (plain numbers: the hot path adds to them). */
export class BoDem {
  /** Lines per level rank (DEBUG..CRITICAL). */
  readonly so = [0, 0, 0, 0, 0];
  bo_dem_day = 0;
  loi_otel = 0;
  /** Calls after `dong()` (sau khi đóng). */
  sau_khi_dong = 0;
  constructor(readonly ten: string) {}
}

interface TongDaNghi {
  so: number[];
  bo_dem_day: number;
  loi_otel: number;
  sau_khi_dong: number;
}

const daNghi = new Map<string, TongDaNghi>();
/** Live loggers, held weakly, each with its counters; a collected one's counters fold into `daNghi`. */
const dangSong = new TapHopYeu<object, BoDem>((b) => cong(tongCua(daNghi, b.ten), b));

/** The totals of `ten` in `m`, made at zero when missing. */
function tongCua(m: Map<string, TongDaNghi>, ten: string): TongDaNghi {
  let t = m.get(ten);
  if (t === undefined) {
    t = { so: [0, 0, 0, 0, 0], bo_dem_day: 0, loi_otel: 0, sau_khi_dong: 0 };
    m.set(ten, t);
  }
  return t;
}

/** Adds `b`'s counts into `t`. */
function cong(t: TongDaNghi, b: TongDaNghi): void {
  for (let i = 0; i < 5; i++) (t.so[i] as number) += b.so[i] as number;
  t.bo_dem_day += b.bo_dem_day;
  t.loi_otel += b.loi_otel;
  t.sau_khi_dong += b.sau_khi_dong;
}

function quanSat(r: BatchObservableResult, dong: ObservableCounter, bo: ObservableCounter, loi: ObservableCounter): void {
  const tong = new Map<string, TongDaNghi>();
  // Live loggers first: one found collected on the way folds into daNghi, read after.
  for (const b of dangSong.held()) cong(tongCua(tong, b.ten), b);
  for (const [ten, t] of daNghi) cong(tongCua(tong, ten), t);
  for (const [ten, t] of tong) {
    for (let i = 0; i < 5; i++) r.observe(dong, t.so[i] as number, { logger: ten, level: CAC_CAP_DO[i] as string });
    r.observe(bo, t.bo_dem_day, { logger: ten, reason: 'buffer_full' });
    r.observe(bo, t.loi_otel, { logger: ten, reason: 'otel_error' });
    r.observe(bo, t.sau_khi_dong, { logger: ten, reason: 'closed' });
  }
  for (const d of cac_dich_song()) r.observe(loi, d.loi_ghi, { output: d.ten });
}

const dangKyMotLan = lazy_metric_source(
  TEN_SCOPE_LOG,
  (meter) => {
    const dong = meter.createObservableCounter('vietnamese_ai.logger.lines', { description: 'Log lines accepted, per logger and level.', unit: '{line}' });
    const bo = meter.createObservableCounter('vietnamese_ai.logger.dropped', { description: 'Log lines lost, per logger and reason.', unit: '{line}' });
    const loi = meter.createObservableCounter('vietnamese_ai.logger.write_errors', { description: 'Write errors reported by a log output.', unit: '{error}' });
    const cb = (r: BatchObservableResult): void => quanSat(r, dong, bo, loi);
    meter.addBatchObservableCallback(cb, [dong, bo, loi]);
    return () => meter.removeBatchObservableCallback(cb, [dong, bo, loi]);
  },
  PHIEN_BAN_SCOPE,
);

/** Registers a logger's counters (held while the logger lives). */
export function theo_doi(chu: object, b: BoDem): void {
  dangKyMotLan();
  dangSong.them(chu, b);
}
