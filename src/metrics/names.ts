/**
 * Rules for metric and label names (tên metric / tên nhãn). QuanLyMetrics
 * rejects (TypeError) rather than rewrites: a name is checked once, when the
 * metric is first seen, and the rule is the one that keeps the Prometheus
 * text lint-clean for `promtool check metrics`: lower snake_case ASCII.
 *
 * One deterministic rewrite exists, for the seed's own habit
 * (`timer("inference_ms")`): a trailing unit abbreviation (ms, s, sec, us,
 * ns, b, kb, mb, gb, tb, h, d, m) becomes the unit, so `inference_ms` is the
 * OTel metric `inference` with unit `ms`, exposed to Prometheus in base units
 * as `..._inference_seconds`. An abbreviation anywhere else in the name
 * (`ms_latency`, or a bare `h`) is a TypeError, since promtool lints it.
 */

/** Metric names: lower snake_case, a letter first, at most 200 characters. */
export const MAU_TEN_METRIC = /^[a-z][a-z0-9_]{0,199}$/;
/** Label names: lower snake_case, not starting with `__` (reserved by Prometheus). */
export const MAU_TEN_NHAN = /^(?!__)[a-z_][a-z0-9_]{0,99}$/;

/** Trailing abbreviations that are read as the unit (UCUM) of the metric. */
const DON_VI_VIET_TAT: Record<string, string> = {
  ms: 'ms',
  s: 's',
  sec: 's',
  us: 'us',
  ns: 'ns',
  b: 'By',
  kb: 'kBy',
  mb: 'MBy',
  gb: 'GBy',
  tb: 'TBy',
  h: 'h',
  d: 'd',
  m: 'm',
};

/** Tokens promtool reads as abbreviated units ("metric names should not contain abbreviated units"). */
const VIET_TAT = new Set(['s', 'ms', 'us', 'ns', 'sec', 'b', 'kb', 'mb', 'gb', 'tb', 'pb', 'm', 'h', 'd']);

function kiemTraVietTat(ten: string, noi: string): void {
  for (const t of ten.split('_')) {
    if (VIET_TAT.has(t)) {
      throw new TypeError(`${noi}: ${JSON.stringify(ten)} contains the abbreviated unit "${t}"; spell it out, end the name with it (read as the unit), or pass { don_vi }`);
    }
  }
}

/** Suffixes Prometheus reserves for other types (promtool lints them on a gauge/histogram). */
const HAU_TO_DANH_RIENG = ['_total', '_count', '_sum', '_bucket', '_created', '_info'];

export type LoaiMetric = 'counter' | 'gauge' | 'histogram';

export interface TenDaKiem {
  /** The name after the unit rewrite (without the namespace). */
  ten: string;
  /** The unit read from a trailing abbreviation, if any. */
  don_vi: string | undefined;
}

/**
 * Checks a metric name; returns it with a trailing unit abbreviation split off.
 * @throws TypeError naming the rule that failed.
 */
export function kiem_tra_ten_metric(ten: unknown, loai: LoaiMetric): TenDaKiem {
  if (typeof ten !== 'string') throw new TypeError(`QuanLyMetrics.${loai}: metric name must be a string, got ${typeof ten}`);
  if (!MAU_TEN_METRIC.test(ten)) {
    throw new TypeError(
      `QuanLyMetrics.${loai}: invalid metric name ${JSON.stringify(ten)}: use lower snake_case ASCII (a-z, 0-9, _), starting with a letter, at most 200 characters`,
    );
  }
  if (loai !== 'counter') {
    for (const h of HAU_TO_DANH_RIENG) {
      if (ten.endsWith(h)) throw new TypeError(`QuanLyMetrics.${loai}: metric name ${JSON.stringify(ten)} must not end in ${h} (reserved by Prometheus for other types)`);
    }
  }
  const i = ten.lastIndexOf('_');
  let goc = ten;
  let don_vi: string | undefined;
  if (i > 0) {
    don_vi = DON_VI_VIET_TAT[ten.slice(i + 1)];
    if (don_vi !== undefined) goc = ten.slice(0, i);
  }
  kiemTraVietTat(goc, `QuanLyMetrics.${loai}`);
  return { ten: goc, don_vi };
}

/** Checks a namespace (`ten` of QuanLyMetrics): '' or a metric-name-like prefix. */
export function kiem_tra_namespace(ns: unknown): string {
  if (typeof ns !== 'string') throw new TypeError(`QuanLyMetrics: ten (namespace) must be a string, got ${typeof ns}`);
  if (ns !== '' && !/^[a-z][a-z0-9_]{0,99}$/.test(ns)) {
    throw new TypeError(`QuanLyMetrics: invalid namespace ${JSON.stringify(ns)}: use lower snake_case ASCII (a-z, 0-9, _), starting with a letter`);
  }
  kiemTraVietTat(ns, 'QuanLyMetrics namespace');
  return ns;
}

/** Checks a label name. @throws TypeError */
export function kiem_tra_ten_nhan(k: string, loai: LoaiMetric): void {
  if (!MAU_TEN_NHAN.test(k)) {
    throw new TypeError(`QuanLyMetrics.${loai}: invalid label name ${JSON.stringify(k)}: use lower snake_case ASCII (a-z, 0-9, _), not starting with __`);
  }
  if (k === 'le' || k === 'quantile') throw new TypeError(`QuanLyMetrics.${loai}: label name ${JSON.stringify(k)} is reserved by Prometheus`);
}

/**
 * A label value as a string: strings as they are; numbers, booleans and
 * bigints through `String()` (documented conversion); anything else is a
 * TypeError (objects, null, undefined, symbols, functions).
 */
export function gia_tri_nhan(v: unknown, k: string, loai: LoaiMetric): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(v);
    default:
      throw new TypeError(
        `QuanLyMetrics.${loai}: label ${JSON.stringify(k)} has a ${v === null ? 'null' : typeof v} value; label values must be strings (numbers, booleans and bigints are converted with String())`,
      );
  }
}
